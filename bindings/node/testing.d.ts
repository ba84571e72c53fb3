// Types of `enneo/testing` under resolvers that ignore package exports (node10).
export * from './lib/testing'

'use strict'
// `require('enneo/testing')` under resolvers that ignore package exports (node10).
module.exports = require('./lib/testing.js')

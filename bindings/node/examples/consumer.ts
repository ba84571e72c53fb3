// A typed consumer of enneo; `tsc --noEmit --strict` must accept it (make test).
import { Client, NotFoundError, APIStatusError, sameId, type Customer, type Contract } from 'enneo'

const client = new Client({ maxRetries: 3, timeout: 30_000 })

export function unpaid(customer: Customer): number {
  return (customer.contracts ?? []).reduce((sum: number, k: Contract) => sum + (k.unpaidDebt ?? 0), 0)
}

export async function find(id: number | string): Promise<Customer | null> {
  try {
    return await client.getCustomer(id, { timeout: 5_000, signal: AbortSignal.timeout(10_000) })
  } catch (e) {
    if (e instanceof NotFoundError) return null
    if (e instanceof APIStatusError) console.error(e.status, e.code, e.requestId)
    throw e
  }
}

export async function bulk(ids: number[]): Promise<string[]> {
  const results = await client.getCustomers(ids, { concurrency: 8, onProgress: (done, total) => console.log(done, total) })
  return results.map((r) => (r.ok ? (r.customer.lastname ?? '') : r.error.code))
}

export function isSame(c: Customer, id: string): boolean {
  return sameId(c.id, id)
}

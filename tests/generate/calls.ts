// Type-checked (tsc --strict) by tests/generate/run.sh: the added operations
// are typed with their models.
import { Client, type Contract, type Customer, type MeterReading, type MeterReadingMeter, type NewReadingBody } from 'enneo'

export async function typed(client: Client): Promise<[Customer, Contract]> {
  const customer: Customer = await client.getCustomerByEmail('tom@example.com')
  const contract: Contract = await client.getContract(746839, 'tags', { maxRetries: 0 })
  return [customer, contract]
}

export async function reading(client: Client): Promise<MeterReadingMeter | null | undefined> {
  const r: MeterReading = await client.getReading(1, true, ['actual'], new Date(), 5, ['a'])
  const kind: 'actual' | 'estimated' | string | null | undefined = r.kind
  const when: string | null | undefined = r.readAt
  const labels: Record<string, string> | null | undefined = r.labels
  void kind, when, labels
  return r.meter
}

export async function post(client: Client): Promise<MeterReading> {
  const body: NewReadingBody = { meterId: 1n, kind: 'actual', value: 2.5, readAt: new Date(), extra: [1] }
  // @ts-expect-error: a required field is missing
  const missing: NewReadingBody = { meterId: 1, kind: 'actual' }
  void missing
  await client.deleteReading(2, { timeout: 1000 })
  return client.createReading(body, { maxRetries: 1 })
}

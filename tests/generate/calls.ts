// Type-checked (tsc --strict) by tests/generate/run.sh: the added operations
// are typed with their models.
import { Client, type Contract, type Customer, type MeterReading, type MeterReadingMeter } from 'enneo'

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

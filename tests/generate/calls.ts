// Type-checked (tsc --strict) by tests/generate/run.sh: the added operations
// are typed with their models.
import { Client, type Contract, type Customer } from 'enneo'

export async function typed(client: Client): Promise<[Customer, Contract]> {
  const customer: Customer = await client.getCustomerByEmail('tom@example.com')
  const contract: Contract = await client.getContract(746839, 'tags', { maxRetries: 0 })
  return [customer, contract]
}

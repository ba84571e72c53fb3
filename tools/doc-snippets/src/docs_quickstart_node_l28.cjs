const { Client } = require('enneo')

const client = new Client()
client.getCustomer(83771).then((customer) => console.log(JSON.stringify(customer).length, 'bytes of JSON'))

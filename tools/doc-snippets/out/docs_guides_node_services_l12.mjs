import express from 'express';
import { Client, NotFoundError, InvalidArgumentError, APIConnectionError, EnneoError } from 'enneo';
const enneo = new Client({ timeout: 5_000, maxRetries: 2 });
const app = express();
app.get('/customers/:id', async (req, res) => {
    try {
        const customer = await enneo.getCustomer(req.params.id, { signal: AbortSignal.timeout(8_000) });
        res.json(customer); // every id and digit as the API sent it
    }
    catch (e) {
        if (e instanceof NotFoundError)
            return void res.status(404).json({ error: 'unknown customer', requestId: e.requestId });
        if (e instanceof InvalidArgumentError)
            return void res.status(400).json({ error: e.message });
        if (e instanceof APIConnectionError)
            return void res.status(503).json({ error: 'Enneo unreachable', code: e.code });
        if (e instanceof EnneoError)
            return void res.status(502).json({ error: e.code });
        throw e;
    }
});
app.listen(3000);

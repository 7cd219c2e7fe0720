// The npm openai package (the official TypeScript/JavaScript SDK) against engram-daemon's OpenAI-compatible door.
// Usage: node openai-client.js BASE_URL API_KEY SCENARIO [MODEL]
//   chat    one completion, not streamed        stream  one completion, streamed with usage
//   models  the models list                    error   one request expected to fail (prints its status and error)
//   error-args: MODEL is the model to ask for; with "bad-temperature" as MODEL the request carries temperature 5.
// Prints one JSON object on a line of its own.
const OpenAI = require('openai');

async function main() {
  const [baseURL, apiKey, scenario, model] = process.argv.slice(2);
  // No retries: the test wants to see each status the daemon gives, not the SDK's recovery from it.
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
  const messages = [{ role: 'user', content: 'What is 2+2?' }];
  switch (scenario) {
    case 'chat': {
      const completion = await client.chat.completions.create({ model: model || 'tiny', messages });
      return { id: completion.id, text: completion.choices[0].message.content, finish: completion.choices[0].finish_reason, usage: completion.usage };
    }
    case 'stream': {
      const stream = await client.chat.completions.create({ model: model || 'tiny', messages, stream: true, stream_options: { include_usage: true } });
      let text = '', finish = null, usage = null, chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        for (const choice of chunk.choices) {
          text += choice.delta?.content ?? '';
          finish = choice.finish_reason ?? finish;
        }
        usage = chunk.usage ?? usage;
      }
      return { text, finish, usage, chunks };
    }
    case 'models': {
      const ids = [];
      for await (const m of client.models.list()) ids.push(m.id);
      return { ids };
    }
    case 'error': {
      try {
        const bad = model === 'bad-temperature';
        await client.chat.completions.create({ model: bad ? 'tiny' : model, messages, ...(bad ? { temperature: 5 } : {}) });
        return { status: 200 };
      } catch (e) {
        if (!(e instanceof OpenAI.APIError)) throw e;
        return { status: e.status, type: e.type ?? null, code: e.code ?? null, param: e.param ?? null, message: e.message };
      }
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

main().then(result => { console.log(JSON.stringify(result)); }, error => { console.error(error); process.exit(1); });

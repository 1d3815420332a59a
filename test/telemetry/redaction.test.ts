import { InMemorySpanExporter, SimpleSpanProcessor, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { RedactingSpanProcessor, redactPath, redactUrl } from '../../src/telemetry/redaction';

/** Spans as the HTTP and Azure SDK instrumentations make them, through the processor, into an in-memory exporter. */
function exported(make: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new RedactingSpanProcessor() as never, new SimpleSpanProcessor(exporter)] });
  make(provider.getTracer('test'));
  return exporter.getFinishedSpans();
}

describe('what a span may carry to Application Insights', () => {
  it('keeps no query, entity key, id or free text of a storage call', () => {
    const [span] = exported((tracer) => {
      const s = tracer.startSpan('GET', { kind: SpanKind.CLIENT });
      s.setAttributes({
        'http.request.method': 'GET',
        'url.full': "https://acct.table.core.windows.net/NorrbusCaseReferences(PartitionKey='Lule%C3%A5',RowKey='NB-2026-0001')?$filter=caseReference%20eq%20'NB-2026-0001'",
        'server.address': 'acct.table.core.windows.net',
        'http.response.status_code': 404,
        'user_agent.original': 'Karin Lindström',
        'norrbus.purpose': 'Oro för sömnen',
      });
      s.recordException(Object.assign(new Error("Entity NB-2026-0001 for Karin Lindström not found"), { name: 'RestError' }));
      s.setStatus({ code: 2, message: 'NB-2026-0001 not found' });
      s.end();
    });
    const text = JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status });
    expect(text).not.toMatch(/NB-2026|Karin|Lindström|sömnen|filter|PartitionKey|Lule/);
    expect(span.attributes).toEqual({
      'http.request.method': 'GET',
      'url.full': 'https://acct.table.core.windows.net/NorrbusCaseReferences()',
      'server.address': 'acct.table.core.windows.net',
      'http.response.status_code': 404,
    });
    expect(span.events.map((e) => e.attributes)).toEqual([{ 'exception.type': 'RestError' }]);
    expect(span.status).toEqual({ code: 2 });
  });

  it('names an incoming request by its method and path, without ids', () => {
    const [span] = exported((tracer) => {
      const s = tracer.startSpan('POST', { kind: SpanKind.SERVER });
      s.setAttributes({ 'http.request.method': 'POST', 'url.path': '/api/messages', 'url.query': 'ref=NB-2026-0001', 'client.address': '10.0.0.1' });
      s.end();
    });
    expect(span.name).toBe('POST /api/messages');
    expect(span.attributes).toEqual({ 'http.request.method': 'POST', 'url.path': '/api/messages' });
  });

  it('cuts connector paths down to their shape', () => {
    expect(redactPath('/v3/conversations/19:abc@thread.tacv2;messageid=1700000000000/activities/1700000000001')).toBe('/v3/conversations/:id/activities/:id');
    expect(redactPath('/v3/conversations/a:1xYz/members/29:karin-lindstrom')).toBe('/v3/conversations/:id/members/:id');
    expect(redactPath('/v3/teams/NB-2026-0001')).toBe('/v3/teams/:id');
    expect(redactUrl('https://smba.trafficmanager.net/emea/v3/conversations?x=NB-2026-0001#y')).toBe('https://smba.trafficmanager.net/emea/v3/conversations');
    expect(redactUrl('not a url NB-2026-0001')).toBe(':redacted');
  });
});

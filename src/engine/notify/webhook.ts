import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** One webhook POST. */
export type WebhookRequest = {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
};

/** Sends one webhook request; resolves with the HTTP status, rejects on a network error or timeout. */
export type WebhookSender = (req: WebhookRequest) => Promise<number>;

/** The real sender: node:http / node:https, POST, JSON content type unless the headers say otherwise. */
export const sendWebhook: WebhookSender = (req) =>
  new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'user-agent': 'bosun-notifications',
      ...req.headers,
      'content-length': Buffer.byteLength(req.body),
    };
    const r = request(url, { method: 'POST', headers, timeout: req.timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (err) => reject(err));
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on('error', (err) => reject(err));
    r.end(req.body);
  });

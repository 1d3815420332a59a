import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Child } from '../../scripts/lib/child';
import { freePort } from '../../scripts/lib/ports';
import { startPlaygroundChild } from '../../scripts/lib/services';
import { ORGS } from './organisations';

/** The ids of playground/lulea-skola.yml. */
export const ORG = {
  tenantId: '6f0c2d1e-4b7a-4c1e-9d3b-2a5e8f7c1b90',
  botId: '28:4a7d3c2b-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
  karin: { id: '29:karin-lindstrom', aadObjectId: '1b2c3d4e-0001-4000-8000-000000000001' },
  /** A colleague of Karin's at the school (rektor). Jonas and Leila have Playgrounds of their own: test/support/organisations.ts. */
  anna: { id: '29:anna-forsberg', name: 'Anna Forsberg', aadObjectId: '1b2c3d4e-0002-4000-8000-000000000002' },
  personalChat: 'a:personal-karin-norrbus',
  groupChat: '19:grupp-norrbus@thread.v2',
  teamId: '19:general-bou-lulea@thread.tacv2',
  teamName: 'Barn- och utbildningsförvaltningen Luleå',
  general: '19:general-bou-lulea@thread.tacv2',
  elevhalsan: '19:norrbus-elevhalsan@thread.tacv2',
} as const;

export interface CardAttachment {
  contentType: string;
  content: { body?: unknown[]; actions?: unknown[]; [key: string]: unknown };
}

/** A message the bot created or updated, as the Playground's WebSocket pushes it. */
export interface Frame {
  action: 'createMessage' | 'updateMessage' | 'typing';
  actionConversationId: string;
  message?: {
    messageId: string;
    text?: string;
    attachments?: CardAttachment[];
    postConversationId?: string;
  };
}

/** Every text a card shows, in order: what a person reads on it. */
export function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string' && typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o.title);
      if (typeof o.label === 'string') out.push(o.label);
      if (o.type === 'FactSet' && Array.isArray(o.facts)) {
        for (const fact of o.facts as { title?: string; value?: string }[]) out.push(fact.title ?? '', fact.value ?? '');
      }
      for (const [k, v] of Object.entries(o)) if (k !== 'text' && k !== 'facts') visit(v);
    }
  };
  visit(card);
  return out;
}

/**
 * A real Agents Playground (the local Teams client) on a free port, driven like a person would:
 * messages over its REST API, the bot's answers read from its WebSocket.
 */
export class Playground {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    /** Who types and clicks in this Playground (its configured current user). */
    readonly userId: string,
    readonly url: string,
    private readonly child: Child,
    private readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Starts a Playground for an organisation (default: the school of playground/lulea-skola.yml). */
  static async start(
    botEndpoint: string,
    organisation: { configPath: string; currentUser: { id: string } } = ORGS.skola,
    port?: number,
  ): Promise<Playground> {
    port ??= await freePort();
    const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'norrbus-playground-')), 'playground.log');
    const child = await startPlaygroundChild({ port, botEndpoint, logFile, configPath: organisation.configPath });
    const url = `http://127.0.0.1:${port}`;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new Playground(organisation.currentUser.id, url, child, socket);
  }

  get serviceUrl(): string {
    return `${this.url.replace('127.0.0.1', 'localhost')}/_connector`;
  }

  /** This organisation's Teams hangs: its port still accepts connections that never answer (SIGSTOP). */
  hang(): void {
    this.child.process.kill('SIGSTOP');
  }

  /** Its Teams answers again (SIGCONT). */
  recover(): void {
    this.child.process.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    if (!this.child.hasExited()) this.child.process.kill('SIGCONT');
    this.socket.close();
    await this.child.stop();
  }

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Karin writes in a conversation; in a channel, `mention` addresses the bot as Teams requires. */
  say(conversationId: string, text: string, { mention = false } = {}): Promise<{ messageId: string; postConversationId?: string }> {
    const body = mention
      ? { from: { id: this.userId }, text: `<at>Norrbus</at> ${text}`, textFormat: 'plain', mentions: [{ mentioned: { id: ORG.botId }, text: '<at>Norrbus</at>' }] }
      : { from: { id: this.userId }, text, textFormat: 'plain' };
    return this.call('POST', `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, body);
  }

  /** Someone @mentions the bot in a channel: a new post (thread), and the bot's first reply there. */
  async postInChannel(channelId: string, text: string): Promise<{ thread: string; reply: Frame }> {
    const post = await this.say(channelId, text, { mention: true });
    const thread = post.postConversationId!;
    const reply = await this.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, `a reply to "${text}"`);
    return { thread, reply };
  }

  /** Clicks an Action.Execute button on a card (as the current user, or `as` another); returns the card (or message) the bot answers with. */
  invoke(conversationId: string, replyToId: string, verb: string, data: Record<string, unknown>, as = this.userId): Promise<{ type: string; value: unknown }> {
    return this.call('POST', '/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      from: { id: as },
      conversation: { id: conversationId },
      replyToId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    });
  }

  /** An activity template of the Playground (install, uninstall, botAdded, …) for a conversation. */
  template(conversationId: string, type?: string): Promise<Record<string, unknown>> {
    const query = `conversationId=${encodeURIComponent(conversationId)}${type ? `&type=${type}` : ''}`;
    return this.call('GET', `/_internal/v1/customActivities/template?${query}`);
  }

  /** Sends any activity to the bot as if from Teams (fire and forget, as the Playground does). */
  sendCustom(activity: Record<string, unknown>): Promise<void> {
    return this.call('POST', '/_internal/v1/customActivities', activity);
  }

  /** Waits for the first frame (seen so far or still to come) that matches, and consumes it. */
  async next(match: (frame: Frame) => boolean, what: string, timeoutMs = 15_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`No message from the bot: ${what}. Frames seen: ${JSON.stringify(this.frames.map(summary))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next message the bot posts in a conversation (or a thread of it). */
  nextIn(conversationId: string, what: string): Promise<Frame> {
    return this.next(
      (f) => f.action === 'createMessage' && (f.actionConversationId === conversationId || f.actionConversationId.startsWith(`${conversationId};`)),
      what,
    );
  }
}

function summary(frame: Frame) {
  return { action: frame.action, conversation: frame.actionConversationId, text: frame.message?.text, card: frame.message?.attachments?.map((a) => cardTexts(a.content)[0]) };
}

/** The data an Action.Execute button of the card carries (what Teams sends when it is clicked); the `index`-th of that verb. */
export function executeData(card: unknown, verb: string, index = 0): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.verb === verb) found.push((o.data ?? {}) as Record<string, unknown>);
      Object.values(o).forEach(visit);
    }
  };
  visit(card);
  if (!found[index]) throw new Error(`no ${verb} button #${index} on the card`);
  return found[index];
}

/** The inputs of a card by id, with the values they show. */
export function inputsOf(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.id === 'string' && typeof o.type === 'string' && o.type.startsWith('Input.')) out[o.id] = typeof o.value === 'string' ? o.value : '';
      Object.values(o).forEach(visit);
    }
  };
  visit(card);
  return out;
}

export function cardOf(frame: Frame): CardAttachment['content'] {
  const card = frame.message?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!card) throw new Error(`expected a card, got ${JSON.stringify(summary(frame))}`);
  return card.content;
}

#!/usr/bin/env node
// mllp-send: sends HL7 v2 messages to an MLLP listener (the sharing service's
// ADT feed), one connection, one message at a time, each waiting for its ACK,
// as a trust's integration engine does.
//
//   node host-samples/service-demo/mllp-send.mjs HOST:PORT FILE.hl7 [FILE.hl7 ...]
//
// A file may hold several messages (each starts with MSH); segments may end in
// LF, CR or CRLF and are sent ending in CR, as HL7 v2 wants. Prints one line
// per message (its type, control id and the ACK's MSA-1). Exits 0 when every
// message was accepted (AA/CA), 1 when one was refused or not answered, 2 for
// bad usage.
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const START = '\x0b', END = '\x1c\x0d';

// The messages in one file's text, each with CR segment endings.
export function messagesOf(text) {
  const segments = text.split(/\r\n|\r|\n/).filter((s) => s.trim() !== '');
  const messages = [];
  for (const s of segments) {
    if (s.startsWith('MSH') || !messages.length) messages.push([]);
    messages[messages.length - 1].push(s);
  }
  return messages.map((m) => m.join('\r') + '\r');
}

const field = (message, segment, n) => {
  const line = message.split('\r').find((s) => s.startsWith(`${segment}|`));
  if (!line) return '';
  const fields = line.split('|');
  return (segment === 'MSH' ? ['MSH', '|', ...fields.slice(1)] : fields)[n] || '';
};

// Sends `messages` over one connection; resolves with [{ type, control, ack, text }].
export function mllpSend(host, port, messages, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const results = [];
    let buffer = '';
    let timer;
    const next = () => {
      if (results.length === messages.length) { socket.end(); return resolve(results); }
      clearTimeout(timer);
      timer = setTimeout(() => { socket.destroy(); reject(new Error(`no ACK within ${timeoutMs} ms`)); }, timeoutMs);
      socket.write(START + messages[results.length] + END);
    };
    socket.setEncoding('utf8');
    socket.on('connect', next);
    socket.on('data', (d) => {
      buffer += d;
      let end;
      while ((end = buffer.indexOf(END)) >= 0) {
        const reply = buffer.slice(buffer.indexOf(START) + 1, end);
        buffer = buffer.slice(end + END.length);
        const m = messages[results.length];
        results.push({ type: field(m, 'MSH', 9), control: field(m, 'MSH', 10), ack: field(reply, 'MSA', 1), text: field(reply, 'MSA', 3) || field(reply, 'ERR', 8) });
        next();
      }
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.on('close', () => { clearTimeout(timer); if (results.length < messages.length) reject(new Error('the listener closed the connection')); });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [to, ...files] = process.argv.slice(2);
  const m = /^(.+):(\d+)$/.exec(to || '');
  if (!m || !files.length) {
    console.error('usage: mllp-send.mjs HOST:PORT FILE.hl7 [FILE.hl7 ...]');
    process.exit(2);
  }
  const messages = files.flatMap((f) => messagesOf(fs.readFileSync(f, 'utf8')));
  try {
    const results = await mllpSend(m[1], Number(m[2]), messages);
    for (const r of results) console.log(`${r.type} ${r.control}: ${r.ack}${r.text ? ` (${r.text})` : ''}`);
    process.exit(results.every((r) => r.ack === 'AA' || r.ack === 'CA') ? 0 : 1);
  } catch (e) {
    console.error(`mllp-send: ${to}: ${e.message}`);
    process.exit(1);
  }
}

// Event streams (/api/v1/events): a slow reader is dropped, a closed stream frees its place at
// once, each session and each API token has its own cap, and events go only to those allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { newDatabase, startServer, signedIn, login, openEvents } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let store, server, admin, tech, clinician, director, room, ctItem;
before(async () => {
  store = newDatabase();
  // A buffer far above what one 200 ms tick gathers, so that a stalled client is ended by the
  // write deadline once the kernel's buffers are full, whatever the pace of the events.
  server = await startServer(store.db, { RADQS_STREAM_BUFFER_BYTES: '65536', RADQS_STREAM_WRITE_TIMEOUT: '2' });
  [admin, tech, clinician, director] = await Promise.all(['admin', 'tech', 'clinician', 'director'].map((u) => signedIn(server.url, u)));
  room = (await admin.get('/api/v1/rooms?modality=CT')).body.items[0];
  ctItem = (await admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT002');
  const items = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start_minute: 8 * 60, end_minute: 12 * 60, slot_minutes: 30, capacity: 4 }));
  assert.equal((await director.put(`/api/v1/rooms/${room.id}/slot-templates`, { items })).status, 200);
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

async function newExam() {
  const p = await tech.post('/api/v1/patients', { name: '事件流', sex: 'F', birth_date: '1970-01-01' });
  const r = await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: ctItem.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '咳嗽', clinical_question: '肺部病变？', patient_class: 'outpatient', priority: 'routine',
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

// A booked exam whose rebooking into the same slot publishes one `queue` event per call.
async function rebooker() {
  let exam = await newExam();
  const slot = `${day(4)}T01:00:00Z`;
  return async () => {
    const r = await tech.post(`/api/v1/exams/${exam.id}/booking`, { room_id: room.id, slot_start: slot, version: exam.version });
    assert.equal(r.status, 200, r.text);
    exam = { ...exam, version: r.body.version };
    return exam.id;
  };
}

const openStream = (auth) => openEvents(server.url, auth);

async function metric(name) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = text.match(new RegExp(`^${name} (\\d+)`, 'm'));
  return m ? Number(m[1]) : NaN;
}

test('queue events reach only streams whose principal may read exams', async () => {
  const nurse = await login(server.url, 'nurse');
  const safety = await login(server.url, 'safety');
  const allowed = await openStream(nurse);
  const refused = await openStream(safety);
  assert.equal(allowed.status, 200);
  assert.equal(refused.status, 200, 'the stream itself is open to every signed-in user');
  const rebook = await rebooker();
  const id = await rebook();
  const deadline = Date.now() + 5000;
  while (!allowed.text().includes(`"exam_id":${id}`) && Date.now() < deadline) await sleep(50);
  assert.match(allowed.text(), /event: queue/);
  await sleep(500);
  assert.doesNotMatch(refused.text(), /event: queue/, 'safety_officer has no exams.read');
  allowed.close();
  refused.close();
});

test('after closing all six streams of a session the next one is accepted at once', async () => {
  const me = await login(server.url, 'qc');
  const six = await Promise.all(Array.from({ length: 6 }, () => openStream(me)));
  assert.deepEqual(six.map((s) => s.status), [200, 200, 200, 200, 200, 200]);
  const seventh = await openStream(me);
  assert.equal(seventh.status, 429);
  six.forEach((s) => s.close());
  await sleep(1000);
  const again = await openStream(me);
  assert.equal(again.status, 200, 'the closed streams were let go');
  again.close();
});

test('each API token and each session has its own stream cap', async () => {
  const tokens = [];
  for (const name of ['看板A', '看板B']) {
    const r = await admin.post('/api/v1/api-tokens', { name, roles: ['inspector'] });
    assert.equal(r.status, 201, r.text);
    tokens.push(r.body.token);
  }
  const a = await Promise.all(Array.from({ length: 6 }, () => openStream({ token: tokens[0] })));
  assert.ok(a.every((s) => s.status === 200));
  assert.equal((await openStream({ token: tokens[0] })).status, 429);
  const b = await openStream({ token: tokens[1] });
  assert.equal(b.status, 200, 'another token is not held to the first one\'s streams');
  const first = await login(server.url, 'doctor');
  const second = await login(server.url, 'doctor');
  const mine = await Promise.all(Array.from({ length: 6 }, () => openStream(first)));
  assert.ok(mine.every((s) => s.status === 200));
  const other = await openStream(second);
  assert.equal(other.status, 200, 'a second session of the same user has its own streams');
  [...a, b, ...mine, other].forEach((s) => s.close());
});

test('a client that stops reading is dropped and counted, and the others keep their events', async () => {
  const before = await metric('radqs_event_streams_dropped_total');
  const nurse = await login(server.url, 'nurse');
  const healthy = await openStream(nurse);
  // A client that sends the request and then never reads: perl (in every Debian, perl-base)
  // holds a socket whose receive buffer is 4 KiB, so the kernel cannot absorb what the server
  // writes (autotuning grows a buffer only for a reader) and the server's write deadline is what
  // ends it, however fast or slow the events come. Told to on stdin, it reads to the end and
  // says "closed".
  const { port } = new URL(server.url);
  const slow = spawn('perl', ['-e', String.raw`
    use Socket;
    socket(my $s, PF_INET, SOCK_STREAM, 0) or die;
    setsockopt($s, SOL_SOCKET, SO_RCVBUF, pack('i', 4096)) or die;
    connect($s, sockaddr_in($ENV{PORT}, inet_aton('127.0.0.1'))) or die;
    syswrite($s, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $ENV{TOKEN}\r\n\r\n");
    <STDIN>;
    my $buf;
    1 while sysread($s, $buf, 65536);
    print "closed\n";`], { env: { ...process.env, PORT: port, TOKEN: nurse.token } });
  let slowOut = '';
  slow.stdout.on('data', (d) => { slowOut += d; });
  await sleep(300);
  const rebook = await rebooker();
  const deadline = Date.now() + 120000;
  let calls = 0;
  let dropped = before;
  while (Date.now() < deadline) {
    await rebook();
    calls += 1;
    if (calls % 25 === 0) {
      dropped = await metric('radqs_event_streams_dropped_total');
      if (dropped > before) break;
    }
  }
  assert.ok(dropped > before, `the slow stream was not dropped after ${calls} events`);
  const id = await rebook();
  const until = Date.now() + 5000;
  while (!healthy.text().includes(`"exam_id":${id}`) && Date.now() < until) await sleep(50);
  assert.ok(healthy.text().includes(`"exam_id":${id}`), 'the reading stream still gets events');
  // Once it reads again it finds the server has closed the connection.
  slow.stdin.write('\n');
  // Generous: a fresh Debian 12 root under a loaded machine once needed more than 5 s.
  const gone = Date.now() + 20000;
  while (!slowOut.includes('closed') && Date.now() < gone) await sleep(50);
  assert.ok(slowOut.includes('closed'), `the server closed the slow connection (${calls} events, ` +
    `${dropped - before} dropped, ${await metric('radqs_event_streams')} streams open)`);
  slow.kill();
  healthy.close();
});

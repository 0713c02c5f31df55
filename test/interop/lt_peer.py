#!/usr/bin/python3
"""Reference BitTorrent peer for Swarmdrop's interop tests and benchmark, built on libtorrent.

A plain BitTorrent client with no discovery of its own: DHT, LSD, UPnP, NAT-PMP and trackers
are all off, so it only talks to peers it is told to dial (--peer) or that dial it (--listen).
Peers use TCP only (uTP off) and plaintext (encryption accepted, never required).

Modes:
  version                                 report the libtorrent version
  create --path P --out F.torrent [--piece-length N]
                                          make a standard v1 torrent, report infohash and hashing time
  seed   --torrent F --save-path D [--peer HOST:PORT ...] [--seed-mode | --trust-data]
                                          serve existing data
  get    --torrent F --save-path D --peer HOST:PORT [--peer ...]
                                          download by dialling the given peers, exit 0 when complete

Output: one JSON object per line on stdout, e.g.
  {"event":"listening","port":6881}
  {"event":"checked","seconds":0.12,"progress":1.0}
  {"event":"seeding","seconds":0.12}
  {"event":"progress","progress":0.42,"downloaded":N,"uploaded":N,"have":N,"peers":N,"rate":N,"uploadRate":N}
      (downloaded/uploaded: payload bytes moved this run; have: verified bytes held; rates: payload B/s;
       at most one line per 0.5 s, and only when something changed)
  {"event":"state","state":"downloading"|"seeding"|"checking_files"|...,"progress":P}
  {"event":"hash_failed","piece":N}
  {"event":"done","seconds":S,"downloaded":N,"uploaded":N,"have":N,"hashFailedBytes":N}
      (get only; seconds since the torrent was added; then it seeds for --stay seconds)
  {"event":"created","infoHash":"...","seconds":S,"pieceLength":N,"pieces":N,"totalSize":N,...}
  {"event":"stopped","reason":"stay"|"signal"|"stdin","downloaded":N,"uploaded":N}
  {"event":"error","code":"...","message":"..."}
Human-readable diagnostics (peer connects, libtorrent errors) go to stderr.

Exit codes: 0 success (or stopped by a signal after the goal was reached), 1 error,
2 bad usage, 3 --timeout reached, 4 stopped by a signal before the goal, 5 libtorrent missing.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import threading
import time
from typing import Any, Callable, Dict, List, NoReturn, Optional, Tuple

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_TIMEOUT = 3
EXIT_INTERRUPTED = 4
EXIT_NO_LIBTORRENT = 5

INSTALL_HINT = 'install it with: apt-get install -y python3-libtorrent (and run this script with /usr/bin/python3)'

PROGRESS_INTERVAL = 0.5  # seconds between progress lines, at most
POLL_INTERVAL = 0.1  # seconds between status polls
LISTEN_WAIT = 10.0  # seconds to wait for the listen socket
FLUSH_WAIT = 5.0  # seconds to wait for the disk cache flush after completion

try:
    import libtorrent as lt
except ImportError as import_error:  # reported as a JSON line so wrappers can show it
    sys.stdout.write(json.dumps({
        'event': 'error', 'code': 'no_libtorrent',
        'message': f'python module libtorrent is not importable by {sys.executable} ({import_error}); {INSTALL_HINT}'
    }) + '\n')
    sys.stdout.flush()
    sys.exit(EXIT_NO_LIBTORRENT)


# ----------------------------------------------------------------------------------------------
# Output


class Emitter:
    """Writes one JSON object per line on stdout, flushed at once; thread safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def emit(self, event: str, **fields: Any) -> None:
        line = json.dumps({'event': event, **fields}, separators=(',', ':'))
        with self._lock:
            try:
                sys.stdout.write(line + '\n')
                sys.stdout.flush()
            except BrokenPipeError:
                pass  # nobody is reading any more; keep going until told to stop

    @staticmethod
    def log(message: str) -> None:
        try:
            sys.stderr.write(f'[lt_peer {time.strftime("%H:%M:%S")}] {message}\n')
            sys.stderr.flush()
        except BrokenPipeError:
            pass


out = Emitter()


class Exit(Exception):
    """Raised to leave with an exit code after the reason was already emitted."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def die(code: int, error_code: str, message: str) -> NoReturn:
    out.emit('error', code=error_code, message=message)
    raise Exit(code)


# ----------------------------------------------------------------------------------------------
# Stop conditions: signals, parent gone (stdin EOF), hard deadline


class StopControl:
    def __init__(self, timeout: Optional[float]) -> None:
        self.started = time.monotonic()
        self.deadline = None if timeout is None else self.started + timeout
        self.timeout = timeout
        self._reason: Optional[str] = None
        self._event = threading.Event()

    def request(self, reason: str) -> None:
        if self._reason is None:
            self._reason = reason
        self._event.set()

    @property
    def reason(self) -> Optional[str]:
        return self._reason

    def stop_requested(self) -> bool:
        return self._event.is_set()

    def check_deadline(self) -> None:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            die(EXIT_TIMEOUT, 'timeout', f'timed out after {self.timeout:g} s')

    def install_signal_handlers(self) -> None:
        def on_signal(signum: int, _frame: Any) -> None:
            self.request('signal')

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def watch_stdin(self) -> None:
        """Stop when stdin reaches EOF: the parent that spawned us with a pipe has gone away."""

        def reader() -> None:
            # os.read, not sys.stdin: a daemon thread blocked inside the buffered reader holds its
            # lock, and the interpreter aborts (SIGABRT) when it cannot take that lock at exit
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            self.request('stdin')

        threading.Thread(target=reader, name='stdin-watch', daemon=True).start()


# ----------------------------------------------------------------------------------------------
# Argument helpers


def parse_endpoint(text: str, *, allow_zero_port: bool) -> Tuple[str, int]:
    """'HOST:PORT' or '[V6]:PORT' -> (ip, port); host names are resolved to an address."""
    if text.startswith('['):
        host, sep, port_text = text[1:].partition(']:')
    else:
        host, sep, port_text = text.rpartition(':')
    if not sep or not host or not port_text.isdigit():
        raise argparse.ArgumentTypeError(f'expected HOST:PORT, got {text!r}')
    port = int(port_text)
    if port > 65535 or (port == 0 and not allow_zero_port):
        raise argparse.ArgumentTypeError(f'bad port in {text!r}')
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise argparse.ArgumentTypeError(f'cannot resolve {host!r}: {err}') from err
    return str(infos[0][4][0]), port


def listen_arg(text: str) -> Tuple[str, int]:
    return parse_endpoint(text, allow_zero_port=True)


def peer_arg(text: str) -> Tuple[str, int]:
    return parse_endpoint(text, allow_zero_port=False)


def positive_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f'must not be negative: {text}')
    return value


def format_listen(ip: str, port: int) -> str:
    return f'[{ip}]:{port}' if ':' in ip else f'{ip}:{port}'


# ----------------------------------------------------------------------------------------------
# Session


def lan_settings(listen: Tuple[str, int]) -> Dict[str, Any]:
    """Settings for a fast LAN with no discovery: explicit peers only, TCP only, no limits."""
    return {
        'listen_interfaces': format_listen(*listen),
        'listen_system_port_fallback': False,  # a busy explicit port is an error, not a surprise port
        'max_retry_port_bind': 0,
        'enable_ip_notifier': False,  # do not reopen sockets when interfaces change (network namespaces)
        # no discovery of our own
        'enable_dht': False,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'dht_bootstrap_nodes': '',
        # TCP only, so every peer pair uses the same transport
        'enable_incoming_utp': False,
        'enable_outgoing_utp': False,
        'enable_incoming_tcp': True,
        'enable_outgoing_tcp': True,
        # plaintext out, anything in
        'out_enc_policy': int(lt.enc_policy.pe_disabled),
        'in_enc_policy': int(lt.enc_policy.pe_enabled),
        'allowed_enc_level': int(lt.enc_level.pe_both),
        'prefer_rc4': False,
        # no limits; many peers may share one address (several peers on 127.0.0.1)
        'upload_rate_limit': 0,
        'download_rate_limit': 0,
        'rate_limit_ip_overhead': False,
        'connections_limit': 2000,
        'unchoke_slots_limit': -1,
        'allow_multiple_connections_per_ip': True,
        'active_downloads': -1,
        'active_seeds': -1,
        'active_limit': -1,
        # dial explicitly named peers again quickly: the other side may start later
        'min_reconnect_time': 1,
        'max_failcount': 1000,
        'peer_connect_timeout': 5,
        'smooth_connects': False,
        'connection_speed': 200,
        'tick_interval': 100,  # ms; connect_peer only queues, the session tick makes the connection
        'seeding_outgoing_connections': True,
        # throughput on a fast link
        'send_buffer_watermark': 8 * 1024 * 1024,
        'send_buffer_low_watermark': 1024 * 1024,
        'send_buffer_watermark_factor': 150,
        'max_queued_disk_bytes': 16 * 1024 * 1024,
        'max_out_request_queue': 1500,
        'max_allowed_in_request_queue': 4000,
        'hashing_threads': max(1, os.cpu_count() or 1),
        'alert_mask': int(lt.alert_category.error | lt.alert_category.status
                          | lt.alert_category.storage | lt.alert_category.connect),
        'alert_queue_size': 10000,
        'user_agent': f'swarmdrop-lt-peer libtorrent/{lt.__version__}',
    }


def open_session(listen: Tuple[str, int], stop: StopControl) -> Tuple[Any, int]:
    """Start a session listening on `listen`; returns (session, TCP port actually bound)."""
    known = lt.default_settings()
    settings = lan_settings(listen)
    for name in settings:
        if name not in known:  # tolerate a setting this libtorrent version lacks
            out.log(f'libtorrent {lt.__version__} has no setting {name}; ignored')
    ses = lt.session({k: v for k, v in settings.items() if k in known})

    wait_until = time.monotonic() + LISTEN_WAIT
    while time.monotonic() < wait_until:
        stop.check_deadline()
        for alert in ses.pop_alerts():
            if isinstance(alert, lt.listen_failed_alert):
                die(EXIT_ERROR, 'listen_failed', f'cannot listen on {format_listen(*listen)}: {alert.message()}')
            if isinstance(alert, lt.listen_succeeded_alert) and alert.socket_type == lt.socket_type_t.tcp:
                return ses, int(alert.port)
        if stop.stop_requested():
            raise Exit(EXIT_INTERRUPTED)
        ses.wait_for_alert(100)
    if ses.is_listening() and ses.listen_port() > 0:
        return ses, int(ses.listen_port())
    die(EXIT_ERROR, 'listen_failed', f'no listen socket on {format_listen(*listen)} after {LISTEN_WAIT:g} s')


def load_torrent(path: str) -> Any:
    try:
        ti = lt.torrent_info(path)
    except RuntimeError as err:
        die(EXIT_USAGE, 'bad_torrent', f'cannot load torrent {path}: {err}')
    ti.set_web_seeds([])  # no HTTP seeding: peers only
    return ti


def add_torrent(ses: Any, ti: Any, save_path: str, *, seed_mode: bool, trust_data: bool, pex: bool) -> Any:
    params = lt.add_torrent_params()
    params.ti = ti
    params.save_path = save_path
    params.trackers = []
    params.url_seeds = []
    flags = lt.torrent_flags.default_flags
    flags &= ~lt.torrent_flags.auto_managed  # no queueing: this one torrent is always active
    flags |= lt.torrent_flags.paused  # start paused so trackers can be dropped before any announce
    flags |= lt.torrent_flags.override_trackers | lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd
    if not pex:
        flags |= lt.torrent_flags.disable_pex
    if seed_mode or trust_data:
        flags |= lt.torrent_flags.seed_mode
    if trust_data:
        # seed_mode alone still hashes each piece the first time a peer asks for it and drops out of
        # seed mode on a mismatch; marking every piece verified serves the bytes on disk as they are
        everything = [True] * ti.num_pieces()
        params.have_pieces = everything
        params.verified_pieces = everything
    params.flags = flags
    try:
        handle = ses.add_torrent(params)
    except RuntimeError as err:
        die(EXIT_ERROR, 'add_failed', f'cannot add torrent: {err}')
    handle.replace_trackers([])
    handle.resume()
    return handle


# ----------------------------------------------------------------------------------------------
# Running a torrent: dialling, alerts, progress


class Dialer:
    """Dials the named peers every `interval` s until connected (and, while `keep_up`, whenever not)."""

    def __init__(self, targets: List[Tuple[str, int]], interval: float) -> None:
        self.targets = targets
        self.interval = interval
        self.ever_connected: Dict[Tuple[str, int], bool] = {t: False for t in targets}
        self.last_dial = 0.0
        ips = [ip for ip, _ in targets]
        # a target alone on its address counts as connected by any connection from that address
        # (an incoming connection arrives from an ephemeral port, not from the listen port)
        self.unique_ip = {ip for ip in ips if ips.count(ip) == 1}

    def tick(self, handle: Any, keep_up: bool) -> None:
        now = time.monotonic()
        if not self.targets or now - self.last_dial < self.interval:
            return
        self.last_dial = now
        eps, ips = set(), set()
        for info in handle.get_peer_info():
            if info.flags & (lt.peer_info.connecting | lt.peer_info.handshake):
                continue
            ip, port = info.ip
            eps.add((ip, port))
            ips.add(ip)
        for target in self.targets:
            ip, port = target
            connected = target in eps or (ip in self.unique_ip and ip in ips)
            if connected:
                self.ever_connected[target] = True
                continue
            if self.ever_connected[target] and not keep_up:
                continue
            try:
                handle.connect_peer((ip, port))
            except (RuntimeError, ValueError) as err:
                out.log(f'connect_peer {format_listen(ip, port)} failed: {err}')


class TorrentRun:
    def __init__(self, ses: Any, handle: Any, stop: StopControl, dialer: Dialer) -> None:
        self.ses = ses
        self.handle = handle
        self.stop = stop
        self.dialer = dialer
        self.added = time.monotonic()
        self.last_progress_time = 0.0
        self.last_progress_key: Optional[Tuple[Any, ...]] = None
        self.flushed = False
        self.last_state: Optional[str] = None

    def status(self) -> Any:
        return self.handle.status()

    def pump_alerts(self) -> None:
        for alert in self.ses.pop_alerts():
            if isinstance(alert, lt.hash_failed_alert):
                out.emit('hash_failed', piece=int(alert.piece_index))
            elif isinstance(alert, lt.torrent_error_alert):
                die(EXIT_ERROR, 'torrent_error', alert.message())
            elif isinstance(alert, lt.file_error_alert):
                die(EXIT_ERROR, 'file_error', alert.message())
            elif isinstance(alert, lt.cache_flushed_alert):
                self.flushed = True
            elif isinstance(alert, (lt.peer_connect_alert, lt.peer_disconnected_alert,
                                    lt.incoming_connection_alert, lt.peer_error_alert,
                                    lt.peer_ban_alert)):
                out.log(alert.message())
            elif alert.category() & lt.alert_category.error:
                out.log(f'{type(alert).__name__}: {alert.message()}')

    def report_progress(self, st: Any, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_progress_time < PROGRESS_INTERVAL:
            return
        fields = {
            'progress': round(float(st.progress), 4),
            'downloaded': int(st.total_payload_download),
            'uploaded': int(st.total_payload_upload),
            'have': int(st.total_wanted_done),
            'peers': int(st.num_peers),
            'rate': int(st.download_payload_rate),
            'uploadRate': int(st.upload_payload_rate),
        }
        key = tuple(fields.values())
        if not force and key == self.last_progress_key:
            return
        self.last_progress_time = now
        self.last_progress_key = key
        out.emit('progress', **fields)

    def step(self, keep_dialling: bool) -> Any:
        """One poll: deadline, alerts, dialling; returns the torrent status."""
        self.stop.check_deadline()
        self.pump_alerts()
        self.dialer.tick(self.handle, keep_dialling)
        st = self.status()
        state = st.state.name
        if state != self.last_state:  # e.g. a seed_mode torrent that found bad data: seeding -> checking_files
            self.last_state = state
            out.emit('state', state=state, progress=round(float(st.progress), 4))
        return st

    def wait_checked(self) -> Any:
        """Wait until libtorrent has finished checking existing data."""
        checking = {lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data,
                    lt.torrent_status.queued_for_checking, lt.torrent_status.allocating}
        while True:
            st = self.step(keep_dialling=False)
            if st.state not in checking and not st.paused:
                return st
            self.sleep_or_interrupt()

    def flush(self) -> None:
        """Ask libtorrent to write everything to disk, so the files are complete for readers."""
        self.flushed = False
        self.handle.flush_cache()
        until = time.monotonic() + FLUSH_WAIT
        while not self.flushed and time.monotonic() < until:
            self.ses.wait_for_alert(100)
            self.pump_alerts()

    def wait(self) -> None:
        """Wait for the next alert (a state change, a finished torrent) or POLL_INTERVAL at most."""
        self.ses.wait_for_alert(int(POLL_INTERVAL * 1000))

    def sleep_or_interrupt(self) -> None:
        if self.stop.stop_requested():
            raise Exit(EXIT_INTERRUPTED)
        self.wait()

    def serve(self, stay: Optional[float]) -> None:
        """Keep serving for `stay` seconds (None: until stopped); then report and return."""
        until = None if stay is None else time.monotonic() + stay
        while not self.stop.stop_requested() and (until is None or time.monotonic() < until):
            st = self.step(keep_dialling=False)
            self.report_progress(st)
            self.wait()
        st = self.status()
        out.emit('stopped', reason=self.stop.reason or 'stay',
                 downloaded=int(st.total_payload_download), uploaded=int(st.total_payload_upload))


# ----------------------------------------------------------------------------------------------
# Modes


def run_seed(args: argparse.Namespace, stop: StopControl) -> int:
    ti = load_torrent(args.torrent)
    ses, port = open_session(args.listen, stop)
    out.emit('listening', port=port)
    handle = add_torrent(ses, ti, args.save_path, seed_mode=args.seed_mode,
                         trust_data=args.trust_data, pex=not args.no_pex)
    run = TorrentRun(ses, handle, stop, Dialer(args.peer, args.redial))
    st = run.wait_checked()
    checked = time.monotonic() - run.added
    out.emit('checked', seconds=round(checked, 3), progress=round(float(st.progress), 4))
    if not st.is_seeding:
        die(EXIT_ERROR, 'incomplete_data',
            f'data in {args.save_path} does not match the torrent: {st.progress * 100:.1f}% of it verified')
    out.emit('seeding', seconds=round(checked, 3))
    run.serve(args.stay)
    return EXIT_OK


def run_get(args: argparse.Namespace, stop: StopControl) -> int:
    ti = load_torrent(args.torrent)
    ses, port = open_session(args.listen, stop)
    out.emit('listening', port=port)
    os.makedirs(args.save_path, exist_ok=True)
    handle = add_torrent(ses, ti, args.save_path, seed_mode=False, trust_data=False, pex=not args.no_pex)
    run = TorrentRun(ses, handle, stop, Dialer(args.peer, args.redial))
    while True:
        st = run.step(keep_dialling=True)
        if st.is_seeding and st.progress >= 1.0:
            break
        run.report_progress(st)
        run.sleep_or_interrupt()
    run.flush()
    st = run.status()
    run.report_progress(st, force=True)
    out.emit('done', seconds=round(time.monotonic() - run.added, 3),
             downloaded=int(st.total_payload_download), uploaded=int(st.total_payload_upload),
             have=int(st.total_wanted_done), hashFailedBytes=int(st.total_failed_bytes))
    run.serve(args.stay)
    return EXIT_OK


def run_create(args: argparse.Namespace, stop: StopControl) -> int:
    path = os.path.abspath(args.path)
    if not os.path.exists(path):
        die(EXIT_USAGE, 'bad_path', f'no such file or directory: {path}')
    piece_length = args.piece_length or 0
    if piece_length and (piece_length < 16384 or piece_length & (piece_length - 1)):
        die(EXIT_USAGE, 'bad_piece_length', f'piece length must be a power of two >= 16384, got {piece_length}')
    fs = lt.file_storage()
    lt.add_files(fs, path)
    if fs.num_files() == 0 or fs.total_size() == 0:
        die(EXIT_USAGE, 'empty', f'nothing to share in {path}')
    ct = lt.create_torrent(fs, piece_length, lt.create_torrent.v1_only)
    ct.set_creator(f'swarmdrop lt_peer.py (libtorrent {lt.__version__})')

    def on_piece(_piece: int) -> None:
        if stop.stop_requested():
            raise KeyboardInterrupt  # aborts set_piece_hashes
        stop.check_deadline()

    started = time.perf_counter()
    try:
        lt.set_piece_hashes(ct, os.path.dirname(path), on_piece)
    except KeyboardInterrupt:
        raise Exit(EXIT_INTERRUPTED)
    seconds = time.perf_counter() - started

    data = lt.bencode(ct.generate())
    out_path = os.path.abspath(args.out)
    tmp_path = f'{out_path}.tmp-{os.getpid()}'
    with open(tmp_path, 'wb') as f:
        f.write(data)
    os.replace(tmp_path, out_path)

    ti = lt.torrent_info(out_path)
    files = ti.files()
    out.emit('created', infoHash=str(ti.info_hashes().v1), seconds=round(seconds, 4),
             bytesPerSecond=int(fs.total_size() / seconds) if seconds > 0 else None,
             pieceLength=int(ti.piece_length()), pieces=int(ti.num_pieces()),
             totalSize=int(ti.total_size()), name=ti.name(), files=int(files.num_files()),
             torrent=out_path)
    return EXIT_OK


def run_version(_args: argparse.Namespace, _stop: StopControl) -> int:
    out.emit('version', libtorrent=lt.__version__, python=sys.version.split()[0], executable=sys.executable)
    return EXIT_OK


# ----------------------------------------------------------------------------------------------
# Command line


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors as JSON too
        out.emit('error', code='usage', message=f'{self.prog}: {message}')
        self.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog='lt_peer.py', description=__doc__,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_subparsers(dest='mode', required=True, parser_class=Parser)

    def common(p: argparse.ArgumentParser, stay_default: Optional[float], stay_help: str) -> None:
        p.add_argument('--torrent', required=True, help='the .torrent file')
        p.add_argument('--save-path', required=True, help='directory holding (or to hold) the data')
        p.add_argument('--listen', type=listen_arg, default=('127.0.0.1', 0),
                       help='HOST:PORT to listen on; port 0 picks a free one (default 127.0.0.1:0)')
        p.add_argument('--stay', type=positive_float, default=stay_default, help=stay_help)
        p.add_argument('--timeout', type=positive_float, default=None,
                       help='hard bound on the whole run in seconds; exit 3 when reached')
        p.add_argument('--redial', type=positive_float, default=2.0,
                       help='seconds between dials of a --peer that is not connected (default 2)')
        p.add_argument('--no-pex', action='store_true', help='do not exchange peers with peers (ut_pex)')
        p.add_argument('--watch-stdin', action='store_true', help='stop when stdin reaches EOF (parent gone)')

    seed = modes.add_parser('seed', help='serve existing data')
    common(seed, None, 'seconds to keep seeding (default: until SIGTERM/SIGINT or --timeout)')
    seed.add_argument('--peer', type=peer_arg, action='append', default=[],
                      help='HOST:PORT to dial, repeatable (optional for a seed)')
    trust = seed.add_mutually_exclusive_group()
    trust.add_argument('--seed-mode', action='store_true',
                       help="libtorrent's seed_mode: skip the initial check; each piece is still hashed "
                            'the first time a peer requests it, and a mismatch ends seed mode')
    trust.add_argument('--trust-data', action='store_true',
                       help='seed_mode with every piece marked verified: serve the bytes on disk unchecked, '
                            'even a damaged copy (for corruption tests)')

    get = modes.add_parser('get', help='download by dialling peers')
    common(get, 0.0, 'seconds to keep seeding after completion (default 0)')
    get.add_argument('--peer', type=peer_arg, action='append', required=True,
                     help='HOST:PORT to dial, repeatable')

    create = modes.add_parser('create', help='make a v1 torrent')
    create.add_argument('--path', required=True, help='file or directory to share')
    create.add_argument('--out', required=True, help='where to write the .torrent')
    create.add_argument('--piece-length', type=int, default=0, help='bytes, power of two >= 16384 (default: auto)')
    create.add_argument('--timeout', type=positive_float, default=None, help='hard bound in seconds; exit 3')
    create.add_argument('--watch-stdin', action='store_true', help='stop when stdin reaches EOF')

    modes.add_parser('version', help='report the libtorrent version')
    return parser


MODES: Dict[str, Callable[[argparse.Namespace, StopControl], int]] = {
    'seed': run_seed, 'get': run_get, 'create': run_create, 'version': run_version,
}


def main(argv: List[str]) -> int:
    args = build_parser().parse_args(argv)
    stop = StopControl(getattr(args, 'timeout', None))
    stop.install_signal_handlers()
    if getattr(args, 'watch_stdin', False):
        stop.watch_stdin()
    try:
        return MODES[args.mode](args, stop)
    except Exit as leave:
        code = leave.code
        if code == EXIT_INTERRUPTED:
            out.emit('stopped', reason=stop.reason or 'signal')
        return code
    except Exception as err:  # anything unexpected still ends as one JSON line
        out.emit('error', code='exception', message=f'{type(err).__name__}: {err}')
        return EXIT_ERROR


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Pantau demo RTSP server (GStreamer gst-rtsp-server, Debian packages).

Serves each mount by re-packetising an RTP/H.264 feed that an ffmpeg publisher pushes to a loopback
UDP port with `-c copy`. Nothing is decoded or encoded here, so the farm costs almost no CPU.
Both RTSP transports work: TCP-interleaved (how Pantau's gateway reads cameras) and UDP.

Config arrives as JSON on stdin:
  {"port": 8554, "mounts": [{"path": "/demo01/sub", "udpPort": 23001, "encoding": "H264"}], "auth": {"user": "u", "password": "p"}}
"auth" is optional; when given, every mount of this server needs those Basic credentials (a locked
camera, used to test a wrong password). gst-rtsp-server answers 404 instead of 401 when anonymous
and authenticated mounts share one server, so a locked camera gets a server of its own.
Prints "READY <port>" once listening and "PREPARED <n>" once every mount is prepared (which needs
the publishers to be sending). Exits on SIGTERM/SIGINT or when stdin closes.
"""
import json
import signal
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def main() -> int:
    Gst.init(None)
    cfg = json.loads(sys.stdin.readline())
    port = int(cfg["port"])
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(port))
    # The default listen backlog is 5: a console opening 16 cameras at once had SYNs dropped, and
    # those connections waited for the kernel's 1 s SYN retry. Each real camera is its own server.
    server.set_backlog(128)
    mounts = server.get_mount_points()
    auth = None
    if cfg.get("auth"):
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(cfg["auth"]["user"], cfg["auth"]["password"]), token)
        server.set_auth(auth)
    for m in cfg["mounts"]:
        udp = int(m["udpPort"])
        # The socket's receive buffer (the kernel doubles it); see the note on idle pipelines below.
        rcvbuf = int(m.get("bufferSize", 32768))
        factory = GstRtspServer.RTSPMediaFactory()
        # H.264 by default; "encoding": "H265" for the H.265 cameras (the JSMpeg fallback's demo).
        codec = "H265" if m.get("encoding") == "H265" else "H264"
        low = codec.lower()
        factory.set_launch(
            f"( udpsrc address=127.0.0.1 port={udp} buffer-size={rcvbuf} "
            f'caps="application/x-rtp,media=video,encoding-name={codec},clock-rate=90000,payload=96" '
            # Whole access units, and no SPS/PPS re-insertion: with config-interval the payloader put
            # SPS/PPS between the slices of a multi-slice keyframe, which splits that frame in two for
            # every client. The clips already carry SPS/PPS before each keyframe (x264 repeat-headers).
            "! rtpjitterbuffer mode=none latency=20 drop-on-latency=true "
            f"! rtp{low}depay ! {low}parse ! video/x-{low},stream-format=byte-stream,alignment=au "
            f"! rtp{low}pay name=pay0 pt=96 )"
        )
        factory.set_shared(True)
        if auth is not None:
            factory.add_role_from_structure(
                Gst.Structure.new_from_string(
                    "viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
                )
            )
        mounts.add_factory(m["path"], factory)
    # A prepared but idle pipeline is PAUSED and its udpsrc stops reading, so the kernel buffers RTP
    # that a first client would then receive as a burst of stale frames. A small buffer bounds that
    # backlog: 32768 (the kernel doubles it) keeps about a second of a sub stream. A main stream's
    # keyframe (about 38 KB, 32 datagrams sent at once) does not fit in it, and a reader a moment
    # late lost datagrams (27-56 dropped in 20-40 s on a busy machine, /proc/net/udp): the farm asks
    # for 131072 on main mounts (no drops), which holds about a second of a main stream.
    # Keep every mount's pipeline prepared, as a camera always is: otherwise the first DESCRIBE waits
    # for the pipeline to start and for a keyframe to learn SPS/PPS, which a real camera never makes
    # a client wait for. Shared media constructed here are cached by the factory and reused by clients.
    # prepare() blocks until RTP flows, and the publishers start after READY: do it off the main loop.
    keep = []

    # Each prepare() waits for its publisher's next keyframe (up to a GOP), so the mounts are prepared
    # side by side, a thread each: one after another, 33 mounts took 22 s of every console's start.
    lock = threading.Lock()

    def prepare_one(m):
        ok, url = GstRtsp.RTSPUrl.parse(f"rtsp://127.0.0.1:{port}{m['path']}")
        factory = mounts.match(m["path"])[0]
        media = factory.construct(url) if ok == GstRtsp.RTSPResult.OK and factory else None
        if media is not None and media.prepare(None):
            with lock:
                keep.append(media)

    def prepare_all():
        threads = [threading.Thread(target=prepare_one, args=(m,), daemon=True) for m in cfg["mounts"]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Clients must not race the preparation of a mount: the farm reports ready only after this.
        print(f"PREPARED {len(keep)}", flush=True)

    if server.attach(None) == 0:
        print(f"ERROR cannot listen on 127.0.0.1:{port}", flush=True)
        return 2
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)

    def on_stdin(_fd, cond):
        if cond & (GLib.IOCondition.HUP | GLib.IOCondition.ERR):
            loop.quit()
            return False
        if not sys.stdin.readline():
            loop.quit()
            return False
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.IOCondition.IN | GLib.IOCondition.HUP | GLib.IOCondition.ERR, on_stdin)
    print(f"READY {port}", flush=True)
    threading.Thread(target=prepare_all, daemon=True).start()
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())

//! A fifth corpus, written held out: the log statements of open-source client-side, desktop,
//! embedded and home software that none of `generated.rs`, `servers.rs`, `platforms.rs` and
//! `apps.rs` covers and that is not one of the Loghub systems — Chromium and Firefox (their
//! stderr), GNOME Shell (mutter, GJS, gnome-keyring's PAM module), Plasma's QML, libinput, Xorg,
//! sway, PulseAudio, PipeWire, BlueZ, wpa_supplicant, hostapd, udisks2, Avahi, snapd,
//! PackageKit, OpenWrt's netifd, Dropbear, Tor, Syncthing, qBittorrent, VLC, mpv, OBS Studio,
//! Kodi, Home Assistant, ESPHome, Tasmota, Node-RED, Mopidy, Klipper, U-Boot, Godot, Wine,
//! electron-updater (the updater of Electron apps such as Signal Desktop), the Nextcloud desktop
//! client, restic, borg and rclone. Each statement is the message part of a line as that software
//! prints it (what is left once an ingest pipeline has split off the timestamp, level and
//! component header), written from those programs' format strings before the miner was ever
//! measured on it, and not adjusted after: an independent check that the miner generalises.
//!
//! Each statement is a format string with `{}` for its variables and the kind of value each one
//! takes; a line is the statement rendered with values drawn as real logs draw them: user,
//! device, interface, network, torrent, folder, sensor and file names and state words from
//! Zipf-like distributions (a few common, a long tail), numbers, addresses, ids, sizes, durations
//! and dates uniformly. Fields that go together (Tor's bootstrap percentage, tag and summary, a
//! D-Bus error's name and text, a video's width and height, a sensor's name, unit and range, a
//! Tasmota topic and its payload) are drawn together. The ground truth is the statement a line
//! came from, and its template is the format string with `<*>` for each `{}`.
//!
//! Words from a small closed set follow the source: a word the program substitutes through a
//! format argument is a variable however few values it takes (Firefox's `JavaScript error` /
//! `warning`, PipeWire's node states, qBittorrent's and ESPHome's `ON` / `OFF`, PackageKit's roles
//! and exit words, Syncthing's folder types, Avahi's `IPv4` / `IPv6`, mpv's exit reasons); a word
//! written into the format string is a constant, and where the program has two format strings
//! differing by it they are two statements, which must not merge: netifd's `Interface '…' is now
//! up` / `down` and `Network device '…' link is up` / `down`, hostapd's `AP-STA-CONNECTED` /
//! `AP-STA-DISCONNECTED`, BlueZ's `Endpoint registered` / `unregistered`, Avahi's `Joining` /
//! `Leaving mDNS multicast group`, ESPHome's `Turning ON.` / `OFF.`, OBS' `==== Recording Start`
//! / `Stop`, Node-RED's `Started` / `Stopped flows` and `Connected to` / `Disconnected from
//! broker`, Mopidy's `HTTP` / `MPD server running`, Klipper's `New connection` / `Disconnected`,
//! borg's `Time (start)` / `Time (end)`, the Nextcloud client's `#### Discovery start` /
//! `#### Propagation start`, sway's `Starting backend` / `Running compositor`, udisks2's `Mounted`
//! / `Unmounted`, rclone's `Copied (new)` / `Copied (replaced existing)`, qBittorrent's `Added new
//! torrent` / `Torrent download finished`, Dropbear's `Password auth succeeded` / `Bad password
//! attempt` and Tor's `Opening` / `Opened … connection (ready)`. Variables hold key=value lists
//! (Klipper's stats, PulseAudio's module arguments), paths with spaces, URLs and MRLs, hex ids and
//! pointers, MAC and IPv6 addresses, sizes with units, durations written out (`2 minutes 13.41
//! seconds`, `1 day 3:07 hours`), dates written out (`Tue, 2024-03-05 02:00:03`, `Mar  5 2024,
//! 10:11:12`), negative and padded numbers and JSON; many take values of different token counts
//! (Wi-Fi network names, torrent, entry and device names, thread names, error texts, decoders,
//! Tor's bootstrap summaries), as these programs' logs do. The generator is seeded: the corpus is
//! the same on every run.

use std::cell::Cell;

use super::common::{
    MONTHS, Rng, Statement, WEEKDAYS, assert_one_kind_per_variable, assert_the_same_on_every_run,
    check_statements, fixed, ip, ipv6, mac, port, time,
};

/// The floor of the grouping accuracy on this corpus, a little below the level measured.
/// Measured 2026-12-07, once, with the miner as committed at c14164a and before any change made
/// for this corpus: GA 0.7352, PA 0.3403 (264 patterns). Then, the same day, GA 0.7472, PA 0.3475
/// (258 patterns) with a leading word joining the pattern of a masked value that keeps one frame
/// character in common (`wlan0:` beside the `<*>:` of `wlp2s0:`) — a rule prompted by this
/// corpus' wpa_supplicant and hostapd lines, which moved no Loghub figure; this corpus is no
/// longer held out for that rule. Then GA 0.7628, PA 0.3570 (239 patterns) with a quoted run of
/// words (`'Garage Door Relay'`, then up to six words) one token, prompted by this corpus' ESPHome,
/// qBittorrent and Home Assistant names (Loghub unchanged, `apps` 0.6710 → 0.6857), and GA
/// 0.7670, PA 0.3612 (236 patterns) with a key's quoted value (`ssid="Home Net"`) one token too.
/// The floor is that GA rounded down to two places, less 0.01. Session 18: GA 0.7767, PA 0.3708
/// once the values of one key make a field from two values (prompted by `apps`); floor 0.76.
/// Session 23: GA 0.7798, PA 0.3740 (233 patterns) with a quoted run of up to eight tokens (six
/// before), a default never measured until then (docs/benchmarks.md).
const MINIMUM_GA: f64 = 0.76;

/// Lines in the corpus.
const LINES: usize = 6000;

/// Login names on desktops and devices.
const USERS: &[&str] = &[
    "alice", "bob", "root", "carol", "kpatel", "pi", "dave", "admin", "mgarcia", "osmc", "lucia",
    "tnguyen",
];
/// The exit codes Chromium reports for its GPU process.
const GPU_EXIT_CODES: &[&str] = &["139", "8704", "512", "9", "1", "15", "134"];
/// Chromium's GL implementations.
const GL_IMPLEMENTATIONS: &[&str] = &["egl-angle", "disabled", "egl-gles2", "desktop"];
/// Chromium's ANGLE back ends (empty when there is none).
const ANGLE_IMPLEMENTATIONS: &[&str] = &["opengl", "swiftshader", "", "vulkan", "none"];
/// Failed D-Bus calls: method, object path, error name and error text.
const DBUS_FAILURES: &[&[&str]] = &[
    &[
        "org.freedesktop.DBus.Properties.Get",
        "/org/freedesktop/UPower/devices/DisplayDevice",
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "The name org.freedesktop.UPower was not provided by any .service files",
    ],
    &[
        "org.freedesktop.login1.Manager.Inhibit",
        "/org/freedesktop/login1",
        "org.freedesktop.DBus.Error.AccessDenied",
        "Permission denied",
    ],
    &[
        "org.freedesktop.DBus.NameHasOwner",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus.Error.NoReply",
        "Did not receive a reply. Possible causes include: the remote application did not send a reply, the message bus security policy blocked the reply, the reply timeout expired, or the network connection was broken.",
    ],
];
/// Firefox's script error kinds.
const JS_KINDS: &[&str] = &["error", "warning"];
/// Scripts Firefox reports errors in.
const JS_FILES: &[&str] = &[
    "chrome://browser/content/browser.js",
    "resource:///modules/sessionstore/SessionStore.sys.mjs",
    "resource://gre/modules/XULStore.sys.mjs",
    "moz-extension://3f2a1c9b-8e7d-4c21-9a0b-6d5e4f3a2b1c/content.js",
    "https://www.example.com/static/js/app.8f3a2c1d.js",
    "chrome://global/content/elements/browser-custom-element.js",
];
/// Script error texts.
const JS_MESSAGES: &[&str] = &[
    "TypeError: can't access property \"focus\", this.element is null",
    "NS_ERROR_FAILURE",
    "ReferenceError: gBrowser is not defined",
    "unreachable code after return statement",
    "TypeError: aTab is undefined",
    "SyntaxError: unterminated string literal",
    "Error: Can't find profile directory.",
];
/// Gecko's process types.
const GECKO_PROCESSES: &[&str] = &["Parent", "Child", "GPU", "RDD", "Utility", "Socket"];
/// Gecko's thread names.
const GECKO_THREADS: &[&str] = &[
    "Main Thread",
    "IPC I/O Parent",
    "Socket Thread",
    "Renderer",
    "IPC I/O Child",
    "StreamTrans #12",
    "MediaSupervisor #2",
];
/// Gecko's warning texts.
const GECKO_WARNINGS: &[&str] = &[
    "NS_ENSURE_SUCCESS(rv, rv) failed with result 0x80004005 (NS_ERROR_FAILURE)",
    "NS_ENSURE_TRUE(mDocShell) failed",
    "Failed to get LayerManager",
    "NS_ENSURE_SUCCESS(rv, rv) failed with result 0x80070057 (NS_ERROR_ILLEGAL_VALUE)",
    "Could not get the program name for a cubeb stream.",
];
/// Gecko's source files.
const GECKO_FILES: &[&str] = &[
    "/builds/worker/checkouts/gecko/dom/base/nsGlobalWindowOuter.cpp",
    "/builds/worker/checkouts/gecko/netwerk/base/nsIOService.cpp",
    "/builds/worker/checkouts/gecko/xpcom/base/nsCycleCollector.cpp",
    "/builds/worker/checkouts/gecko/gfx/layers/ipc/CompositorBridgeChild.cpp",
    "/builds/worker/checkouts/gecko/dom/media/AudioStream.cpp",
    "/builds/worker/checkouts/gecko/toolkit/components/places/Database.cpp",
];
/// System calls Firefox's sandbox refuses.
const SYSCALLS: &[&str] = &["41", "16", "257", "56", "62", "72"];
/// Window titles as mutter truncates them (ten characters).
const WINDOW_TITLES: &[&str] = &[
    "Telegram",
    "Mozilla Fi",
    "Terminal",
    "Discord",
    "Steam",
    "Slack | ge",
    "Signal",
    "Spotify",
];
/// GObject types GJS reports as disposed.
const GJS_TYPES: &[&str] = &[
    "St.Button",
    "Meta.WindowActor",
    "St.Label",
    "Clutter.Actor",
    ".Gjs_ui_panel_Panel",
    "St.BoxLayout",
    ".Gjs_ubuntu-dock_ubuntu_com_docking_DockedDash",
];
/// QML files of Plasma.
const QML_FILES: &[&str] = &[
    "file:///usr/share/plasma/plasmoids/org.kde.plasma.taskmanager/contents/ui/Task.qml",
    "file:///usr/lib/x86_64-linux-gnu/qt6/qml/org/kde/plasma/components/ToolTip.qml",
    "file:///usr/share/plasma/shells/org.kde.plasma.desktop/contents/views/Panel.qml",
    "file:///usr/share/plasma/plasmoids/org.kde.plasma.systemtray/contents/ui/main.qml",
    "qrc:/qml/main.qml",
];
/// QML item types.
const QML_TYPES: &[&str] = &[
    "Label",
    "ColumnLayout",
    "ToolTip",
    "RowLayout",
    "PlasmaExtras.Representation",
    "Item",
];
/// QML properties.
const QML_PROPERTIES: &[&str] = &[
    "implicitWidth",
    "implicitHeight",
    "width",
    "height",
    "contentHeight",
];
/// Input device names, as the kernel gives them.
const INPUT_DEVICES: &[&str] = &[
    "SynPS/2 Synaptics TouchPad",
    "AT Translated Set 2 keyboard",
    "Logitech USB Receiver",
    "ELAN0670:00 04F3:3150 Touchpad",
    "Power Button",
    "Razer Razer DeathAdder V2",
    "Keychron K2",
    "Video Bus",
];
/// Xorg modules.
const XORG_MODULES: &[&str] = &["fbdev", "vesa", "nvidia", "modesetting", "intel", "ati"];
/// Wayland display sockets.
const WAYLAND_DISPLAYS: &[&str] = &["wayland-1", "wayland-0", "wayland-2"];
/// PulseAudio modules.
const PULSE_MODULES: &[&str] = &[
    "module-alsa-card",
    "module-bluez5-device",
    "module-udev-detect",
    "module-x11-bell",
];
/// PulseAudio module arguments, from none to many.
const PULSE_ARGUMENTS: &[&str] = &[
    "device_id=\"1\" name=\"usb-Generic_USB_Audio-00\" card_name=\"alsa_card.usb-Generic_USB_Audio-00\" namereg_fail=false tsched=yes fixed_latency_range=no ignore_dB=no deferred_volume=yes use_ucm=yes avoid_resampling=no card_properties=\"module-udev-detect.discovered=1\"",
    "path=/org/bluez/hci0/dev_00_1B_66_C1_A2_3F autodetect_mtu=no",
    "",
    "tsched=0",
];
/// ALSA devices.
const PCM_DEVICES: &[&str] = &["front:0", "hw:1,0", "iec958:1", "front:2", "hdmi:0,1"];
/// ALSA open errors.
const PCM_ERRORS: &[&str] = &[
    "Device or resource busy",
    "No such file or directory",
    "No such device",
];
/// PipeWire nodes.
const PW_NODES: &[&str] = &[
    "alsa_output.pci-0000_00_1f.3.analog-stereo",
    "alsa_input.pci-0000_00_1f.3.analog-stereo",
    "bluez_output.00_1B_66_C1_A2_3F.1",
    "alsa_output.usb-Focusrite_Scarlett_2i2_USB-00.pro-output-0",
    "v4l2_input.pci-0000_00_14.0-usb-0_6_1.0",
    "alsa_output.pci-0000_01_00.1.hdmi-stereo",
];
/// PipeWire's node states.
const PW_STATES: &[&str] = &["suspended", "running", "idle", "error", "creating"];
/// Media endpoint paths registered with BlueZ.
const MEDIA_ENDPOINTS: &[&str] = &[
    "/MediaEndpoint/A2DPSink/sbc",
    "/MediaEndpoint/A2DPSource/sbc",
    "/MediaEndpoint/A2DPSink/aac",
    "/MediaEndpoint/A2DPSource/aptx_hd",
    "/MediaEndpoint/A2DPSink/ldac",
    "/MediaEndpointLE/BAPSink/lc3",
];
/// Errors BlueZ reports when it updates a device's services.
const BLUEZ_ERRORS: &[&str] = &[
    "Host is down (112)",
    "Connection timed out (110)",
    "Input/output error (5)",
    "Software caused connection abort (103)",
];
/// Wireless client interfaces.
const WIFI_IFACES: &[&str] = &[
    "wlan0",
    "wlp2s0",
    "wlp0s20f3",
    "wlx00c0ca9a1b2c",
    "phy0-sta0",
];
/// Wi-Fi network names, some with spaces.
const SSIDS: &[&str] = &[
    "HomeNet",
    "FRITZ!Box 7590 XY",
    "eduroam",
    "Vodafone-A1B2",
    "Starbucks WiFi",
    "TP-Link_5G_3C1A",
    "iPhone von Anna",
    "Guest",
];
/// Channel frequencies in MHz.
const FREQUENCIES: &[&str] = &["2412", "2437", "5180", "2462", "5500", "5745", "5220"];
/// Disconnection reasons, sometimes with the locally generated flag.
const DISCONNECT_REASONS: &[&str] = &[
    "3 locally_generated=1",
    "2",
    "4",
    "15",
    "8 locally_generated=1",
    "7",
    "1",
];
/// Reasons an SSID is disabled for a while.
const TEMP_DISABLE_REASONS: &[&str] = &["WRONG_KEY", "CONN_FAILED", "AUTH_FAILED"];
/// Seconds an SSID is disabled for.
const TEMP_DISABLE_SECONDS: &[&str] = &["10", "20", "30", "60", "120"];
/// Access point interfaces.
const AP_IFACES: &[&str] = &["wlan0", "phy0-ap0", "wlan1", "phy1-ap0", "wlan0-1"];
/// Block devices.
const BLOCK_DEVICES: &[&str] = &[
    "/dev/sdb1",
    "/dev/sdc1",
    "/dev/mmcblk0p1",
    "/dev/sdb2",
    "/dev/nvme1n1p1",
    "/dev/sr0",
    "/dev/dm-3",
];
/// Mount points, some with spaces.
const MOUNT_POINTS: &[&str] = &[
    "/media/alice/USB DISK",
    "/run/media/bob/3C4A-1F2E",
    "/media/alice/Untitled",
    "/media/kpatel/My Passport",
    "/run/media/carol/Fedora-WS-Live-39-1-5",
    "/media/alice/SANDISK",
];
/// User ids.
const UIDS: &[&str] = &["1000", "1001", "0", "1002"];
/// Interfaces Avahi announces on.
const AVAHI_IFACES: &[&str] = &["wlan0", "eth0", "enp3s0", "br-lan", "docker0", "virbr0"];
/// IP protocol families, as Avahi names them.
const FAMILIES: &[&[&str]] = &[&["IPv4"], &["IPv6"]];
/// Lists of snaps, quoted.
const SNAP_LISTS: &[&str] = &[
    "\"core\", \"core20\", \"lxd\", \"snapd\"",
    "\"firefox\"",
    "\"core22\", \"gnome-42-2204\", \"gtk-common-themes\", \"snap-store\"",
    "\"bare\", \"core18\"",
];
/// snapd source lines (they move between releases).
const SNAPD_LINES: &[&str] = &["773", "861", "903", "247", "250"];
/// snapd versions.
const SNAPD_VERSIONS: &[&str] = &["2.61.3+22.04", "2.63+24.04", "2.58.3+20.04.1", "2.62"];
/// Ubuntu releases.
const UBUNTU_RELEASES: &[&str] = &["22.04", "24.04", "20.04"];
/// CPU architectures.
const ARCHES: &[&str] = &["amd64", "arm64", "armhf"];
/// Kernel releases.
const KERNELS: &[&str] = &[
    "6.5.0-35-generic",
    "6.8.0-45-generic",
    "5.15.0-107-generic",
    "6.8.0-1010-raspi",
];
/// PackageKit's transaction roles.
const PK_ROLES: &[&str] = &[
    "get-updates",
    "refresh-cache",
    "resolve",
    "get-details",
    "search-file",
    "update-packages",
    "install-packages",
    "get-packages",
    "what-provides",
];
/// PackageKit's exit words.
const PK_EXITS: &[&str] = &["success", "failed", "cancelled"];
/// OpenWrt logical interfaces.
const NETIFD_IFACES: &[&str] = &["wan", "lan", "wan6", "guest", "wwan", "vpn", "iot"];
/// OpenWrt network devices.
const NETIFD_DEVICES: &[&str] = &[
    "eth0",
    "br-lan",
    "lan1",
    "wan",
    "eth1",
    "phy0-ap0",
    "lan4",
    "pppoe-wan",
];
/// Users logging in to an OpenWrt router.
const ROUTER_USERS: &[&str] = &["root", "admin", "ubnt", "pi", "user"];
/// Why a Dropbear session ended.
const DROPBEAR_EXITS: &[&str] = &[
    "Disconnect received",
    "Error reading: Connection reset by peer",
    "Keepalive timeout",
    "Exited normally",
];
/// Tor's bootstrap phases: percentage, tag and summary.
const TOR_BOOTSTRAP: &[&[&str]] = &[
    &["100", "done", "Done"],
    &["5", "conn", "Connecting to a relay"],
    &["10", "conn_done", "Connected to a relay"],
    &["14", "handshake", "Handshaking with a relay"],
    &["15", "handshake_done", "Handshake with a relay done"],
    &[
        "75",
        "enough_dirinfo",
        "Loaded enough directory info to build circuits",
    ],
    &[
        "90",
        "ap_handshake_done",
        "Handshake finished with a relay to build circuits",
    ],
    &["95", "circuit_create", "Establishing a Tor circuit"],
    &["0", "starting", "Starting"],
];
/// Tor's listener types.
const TOR_LISTENERS: &[&str] = &[
    "Socks listener",
    "Control listener",
    "DNS listener",
    "Transparent pf/netfilter listener",
    "HTTP tunnel listener",
    "Metrics listener",
];
/// Addresses Tor listens on.
const TOR_ADDRESSES: &[&str] = &[
    "127.0.0.1:9050",
    "127.0.0.1:9051",
    "[::1]:9050",
    "127.0.0.1:9150",
    "0.0.0.0:9040",
    "127.0.0.1:5353",
];
/// Syncthing device ids.
const DEVICE_IDS: &[&str] = &[
    "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD",
    "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2",
    "7MJ7PXI-4GD2RKK-Q6SJCCM-YKMF4Y3-Z4XQ6ZD-BYAGM4C-GMRLB7S-3WHSWAY",
    "AIR6LPZ-7K4PTTV-UXQSMUU-CPQ5YWH-OEDFIIQ-JUG777G-2YQXXR5-YD6AWQR",
    "KQDIYLB-5VBQ3CB-4D6O7JU-AYQJDTB-5BMSHTE-EJTQ2WR-HTJ5IUH-QCCJHQC",
];
/// Syncthing client versions.
const SYNCTHING_CLIENTS: &[&str] = &[
    "syncthing v1.27.2",
    "syncthing v1.27.4",
    "syncthing v1.23.7",
    "syncthing v1.27.3",
];
/// Syncthing device names.
const SYNCTHING_NAMES: &[&str] = &[
    "laptop",
    "nas",
    "pixel-7",
    "alice-desktop",
    "Work PC",
    "raspberrypi",
];
/// Syncthing connection types.
const SYNCTHING_CONNECTIONS: &[&str] = &[
    "tcp-client",
    "tcp-server",
    "quic-client",
    "quic-server",
    "relay-client",
];
/// Syncthing folder types.
const FOLDER_TYPES: &[&str] = &["sendreceive", "sendonly", "receiveonly", "receiveencrypted"];
/// Syncthing folder labels.
const FOLDER_LABELS: &[&str] = &[
    "Default Folder",
    "Documents",
    "Camera",
    "Music",
    "Obsidian Vault",
    "Photos 2024",
    "Projects",
];
/// Syncthing folder ids.
const FOLDER_IDS: &[&str] = &[
    "default",
    "abcde-fghij",
    "x7k2m-9qpwr",
    "pixel_7_7fzm-photos",
    "obsidian",
    "kq3vh-ua2zn",
];
/// Torrent names.
const TORRENTS: &[&str] = &[
    "ubuntu-24.04-desktop-amd64.iso",
    "debian-12.5.0-amd64-netinst.iso",
    "Big Buck Bunny",
    "archlinux-2024.03.01-x86_64.iso",
    "Sintel (2010) [1080p]",
    "Fedora-Workstation-Live-x86_64-40",
    "linuxmint-21.3-cinnamon-64bit.iso",
    "The Internet's Own Boy (2014)",
];
/// A switch's state.
const ON_OFF: &[&str] = &["ON", "OFF"];
/// Media resource locators VLC fails to open.
const MRLS: &[&str] = &[
    "file:///home/alice/Videos/holiday%202023.mp4",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "smb://nas/media/Movies/Big%20Buck%20Bunny.mkv",
    "dvd:///dev/sr0",
    "http://192.168.1.20:8080/stream.m3u8",
    "rtsp://192.168.1.64:554/Streaming/Channels/101",
];
/// Hardware decoders, as VLC names them.
const HW_DECODERS: &[&str] = &[
    "VA API version 1.20 with Intel iHD driver for Intel(R) Gen Graphics - 24.1.0 ()",
    "NVIDIA VDPAU Driver Shared Library 535.129.03 Thu Oct 19 18:44:23 UTC 2023",
    "VA API version 1.20 with Mesa Gallium driver 24.0.3 for AMD Radeon RX 6600 (radeonsi, navi23, LLVM 17.0.6, DRM 3.57, 6.8.0-45-generic)",
    "OpenGL Mesa VDPAU driver",
];
/// Files and streams mpv plays.
const MPV_FILES: &[&str] = &[
    "/home/alice/Videos/holiday 2023.mp4",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "Big.Buck.Bunny.2008.1080p.mkv",
    "/mnt/nas/Music/Radiohead - OK Computer/01 - Airbag.flac",
    "http://ice1.somafm.com/groovesalad-128-mp3",
    "dvd://",
];
/// Video codecs.
const VIDEO_CODECS: &[&str] = &["h264", "hevc", "vp9", "av1", "mpeg4"];
/// Video sizes: width and height.
const RESOLUTIONS: &[&[&str]] = &[
    &["1920", "1080"],
    &["1280", "720"],
    &["3840", "2160"],
    &["720", "480"],
    &["1920", "800"],
];
/// Frame rates.
const FRAME_RATES: &[&str] = &["23.976", "25", "29.970", "60", "30", "24"];
/// Why mpv exits.
const MPV_EXITS: &[&str] = &[
    "Quit",
    "End of file",
    "Errors when loading file",
    "Interrupted by signal",
];
/// OBS outputs.
const OBS_OUTPUTS: &[&str] = &[
    "simple_file_output",
    "adv_file_output",
    "Replay Buffer",
    "virtualcam_output",
];
/// OBS audio sources.
const OBS_SOURCES: &[&str] = &[
    "Mic/Aux",
    "Desktop Audio",
    "Media Source",
    "Browser",
    "Video Capture Device",
    "Game Capture",
];
/// Files Kodi plays.
const KODI_FILES: &[&str] = &[
    "smb://nas/media/Movies/Big Buck Bunny (2008)/Big Buck Bunny.mkv",
    "/storage/videos/holiday.mp4",
    "nfs://192.168.1.20/export/tv/Severance/Season 1/S01E01.mkv",
    "plugin://plugin.video.youtube/play/?video_id=dQw4w9WgXcQ",
    "pvr://channels/tv/All channels/pvr.hts_1234.pvr",
];
/// Home Assistant integrations.
const HA_DOMAINS: &[&str] = &[
    "sensor", "mqtt", "zha", "hacs", "esphome", "met", "hue", "cloud", "shelly",
];
/// Home Assistant config entries: title and integration.
const HA_ENTRIES: &[&[&str]] = &[
    &["Living Room TV", "webostv"],
    &["Home", "met"],
    &["Philips Hue Bridge", "hue"],
    &["192.168.1.40", "shelly"],
    &["Shelly Plus 1PM", "shelly"],
    &["Fritz!Box 7590", "fritz"],
    &["alice@example.com", "tado"],
];
/// Home Assistant update coordinators.
const HA_COORDINATORS: &[&str] = &[
    "met",
    "openweathermap",
    "tado",
    "hue",
    "netatmo",
    "speedtestdotnet",
    "octoprint",
];
/// Errors of Home Assistant's update coordinators.
const HA_FETCH_ERRORS: &[&str] = &[
    "Error communicating with API: Cannot connect to host api.openweathermap.org:443 ssl:default [Try again]",
    "Timeout fetching data",
    "Invalid response from API",
    "401, message='Unauthorized', url=URL('https://my.tado.com/api/v2/me')",
    "Error requesting data: Server disconnected",
];
/// ESPHome sensors: name, unit, decimals of accuracy, and the range of the readings.
const ESP_SENSORS: &[&[&str]] = &[
    &["Living Room Temperature", "°C", "1", "15", "29"],
    &["Living Room Humidity", "%", "0", "30", "80"],
    &["WiFi Signal", "dBm", "0", "-90", "-35"],
    &["Pressure", "hPa", "1", "990", "1030"],
    &["Plug Power", "W", "1", "0", "2300"],
    &["Uptime", "s", "0", "60", "900000"],
    &["Soil Moisture Raw", "", "0", "200", "900"],
];
/// ESPHome binary sensors.
const ESP_BINARY_SENSORS: &[&str] = &[
    "Motion",
    "Front Door",
    "Button",
    "Status",
    "Hallway Occupancy",
];
/// ESPHome switches.
const ESP_SWITCHES: &[&str] = &["Relay", "Plug", "Garage Door Relay", "Pump", "Status LED"];
/// ESPHome versions.
const ESPHOME_VERSIONS: &[&str] = &["2024.2.1", "2024.3.0", "2023.12.9", "2024.6.4"];
/// Tasmota devices.
const TASMOTA_DEVICES: &[&str] = &[
    "tasmota_8E1C4D",
    "kitchen_plug",
    "sonoff-basic-1",
    "gosund_sp111_2",
    "tasmota_A3F2B0",
];
/// Tasmota topics: prefix and suffix.
const TASMOTA_TOPICS: &[&[&str]] = &[
    &["tele", "SENSOR"],
    &["tele", "STATE"],
    &["stat", "RESULT"],
    &["stat", "POWER"],
    &["tele", "LWT"],
];
/// Tasmota host names.
const TASMOTA_HOSTS: &[&str] = &[
    "tasmota-8E1C4D-3140",
    "kitchen-plug",
    "sonoff-basic-1",
    "tasmota-A3F2B0-4784",
];
/// Tasmota's Wi-Fi modes.
const WIFI_MODES: &[&str] = &["11n", "11g", "11b"];
/// Wi-Fi channels.
const WIFI_CHANNELS: &[&str] = &["6", "1", "11", "36", "13"];
/// Node-RED's MQTT broker nodes.
const NODERED_BROKERS: &[&str] = &["Local broker", "mosquitto", "HiveMQ cloud", "homeassistant"];
/// MQTT broker URLs as Node-RED writes them (with a client id when one is set).
const BROKER_URLS: &[&str] = &[
    "mqtt://localhost:1883",
    "mqtt://192.168.1.10:1883",
    "nodered_1a2b3c4d@mqtt://localhost:1883",
    "mqtts://broker.hivemq.com:8883",
    "ws://mosquitto:9001",
];
/// Addresses Mopidy listens on.
const MOPIDY_HOSTS: &[&str] = &["::", "::ffff:127.0.0.1", "::1", "::ffff:0.0.0.0"];
/// Mopidy's HTTP ports.
const MOPIDY_HTTP_PORTS: &[&str] = &["6680", "8080"];
/// Mopidy's MPD ports.
const MOPIDY_MPD_PORTS: &[&str] = &["6600", "6601"];
/// Mopidy's enabled extensions.
const MOPIDY_EXTENSIONS: &[&str] = &[
    "file, http, m3u, mpd, softwaremixer, stream",
    "file, http, local, m3u, mpd, softwaremixer, spotify, stream",
    "http, iris, m3u, mpd, softwaremixer, stream, tunein, youtube",
    "file, m3u, mpd, softwaremixer, stream",
];
/// U-Boot versions.
const UBOOT_VERSIONS: &[&str] = &[
    "2023.04",
    "2024.01",
    "2022.07-rc3",
    "2021.10-dirty",
    "2024.04+dfsg-1",
];
/// Conditions Godot's checks fail on.
const GODOT_CONDITIONS: &[&str] = &[
    "!is_inside_tree()",
    "p_index < 0 || p_index >= data.children.size()",
    "!p_node",
    "p_child->data.parent != this",
    "idx == -1",
];
/// What Godot's failed checks return.
const GODOT_RETURNS: &[&str] = &[
    "Transform3D()",
    "nullptr",
    "false",
    "Variant()",
    "ERR_INVALID_PARAMETER",
    "-1",
];
/// Windows libraries Wine cannot find.
const DLLS: &[&str] = &[
    "MSVCP140.dll",
    "VCRUNTIME140.dll",
    "d3dcompiler_47.dll",
    "api-ms-win-crt-runtime-l1-1-0.dll",
    "xinput1_3.dll",
    "dxgi.dll",
];
/// Windows programs run under Wine.
const WINDOWS_EXES: &[&str] = &[
    r"C:\Program Files\Notepad++\notepad++.exe",
    r"C:\Program Files (x86)\Steam\steam.exe",
    r"C:\users\alice\Desktop\setup.exe",
    r"C:\GOG Games\Witcher 3\bin\x64\witcher3.exe",
    r"Z:\home\alice\Downloads\installer.exe",
];
/// Versions of Electron apps.
const APP_VERSIONS: &[&str] = &[
    "7.2.1", "1.11.60", "2024.3.0", "2.14.20", "7.3.0", "1.11.59",
];
/// What electron-updater found to download, one file or several.
const UPDATE_FILES: &[&str] = &[
    "Signal-7.3.0-linux-x64.AppImage",
    "Element-1.11.60.dmg, Element-1.11.60-mac.zip",
    "Joplin-Setup-2.14.20.exe",
    "Bitwarden-2024.3.0-universal-mac.zip",
];
/// Where electron-updater put a downloaded update.
const UPDATE_PATHS: &[&str] = &[
    "/home/alice/.cache/element-desktop-updater/pending/Element-1.11.60.AppImage",
    r"C:\Users\alice\AppData\Local\joplin-updater\pending\Joplin-Setup-2.14.20.exe",
    "/Users/bob/Library/Caches/com.bitwarden.desktop.ShipIt/update.tGHvX2k/Bitwarden-2024.3.0-universal-mac.zip",
];
/// Files rclone copies, some with spaces.
const RCLONE_FILES: &[&str] = &[
    "photos/2024/IMG_2041.jpg",
    "Documents/taxes/2023 return.pdf",
    "music/Radiohead/OK Computer/01 Airbag.flac",
    "backup/db-2024-03-05.sql.gz",
    "notes.md",
    "Camera/PXL_20240305_101112345.mp4",
];
/// Size units.
const SIZE_UNITS: &[&str] = &["MiB", "GiB", "KiB", "B"];

/// The kind of value a `{}` of a statement takes.
#[derive(Clone, Copy)]
enum V {
    /// A number in the range.
    Num(u64, u64),
    /// A negative number, its magnitude in the range.
    Negative(u64, u64),
    /// A number in the range, right-aligned in five columns.
    Padded(u64, u64),
    /// A word of the list, Zipf-distributed over its order.
    Zipf(&'static [&'static str]),
    /// A column of a table's row: column 0 draws the row (Zipf-distributed over the table's
    /// order) and the later columns of the statement take the same row.
    Row(&'static [&'static [&'static str]], usize),
    /// An IPv4 address.
    Ip,
    /// An address of the family drawn last by `Row(FAMILIES, 0)`.
    FamilyAddress,
    /// An ephemeral port.
    Port,
    /// This many lowercase hex digits.
    Hex(usize),
    /// A MAC address, lowercase or uppercase.
    Mac(bool),
    /// A decimal with an integer part in the range and this many places (`12.345`).
    Fixed(u64, u64, usize),
    /// A time of day (`10:11:12`).
    Time,
    /// A heap pointer (`0x55d8e4a3b0c0`).
    Pointer,
    /// An object address as VLC prints one (`00007f3a2c001230`).
    VlcObject,
    /// A Wine thread id (`0024`).
    WineThread,
    /// Tor's uptime (`5:07 hours`, `1 day 0:12 hours`, `12 days 3:45 hours`).
    TorUptime,
    /// A byte count as Tor's heartbeat writes it (`912 kB`, `2.84 MB`, `1.07 GB`).
    TorBytes,
    /// A Syncthing connection (`192.168.1.10:22000-192.168.1.23:51234/tcp-client/TLS1.3-…`).
    SyncthingConnection,
    /// A size as restic and rclone write it (`12.345 MiB`, `512 B`).
    Size,
    /// An estimate as rclone writes it (`1m5s`, `2h3m4s`, `0s`, `-`).
    Eta,
    /// A date and time as borg writes it (`Tue, 2024-03-05 02:00:03`).
    BorgDate,
    /// A duration as borg writes it (`2 minutes 13.41 seconds`).
    BorgDuration,
    /// A build date as C's `__DATE__` and `__TIME__` give it (`Mar  5 2024, 10:11:12`).
    CompiledDate,
    /// A build date as U-Boot prints it (`Apr 05 2023`).
    UBootDate,
    /// A file OBS records to (`/home/alice/Videos/2024-03-05 21-14-33.mkv`).
    Recording,
    /// A reading in the range of the row drawn last from [`ESP_SENSORS`] (`21.50000`).
    SensorReading,
    /// A Tasmota topic (`tele/tasmota_8E1C4D/SENSOR`), drawing a row of [`TASMOTA_TOPICS`].
    TasmotaTopic,
    /// A payload for the topic drawn last by `TasmotaTopic` (JSON without spaces, or a word).
    TasmotaPayload,
}

thread_local! {
    /// The row the last `Row(_, 0)` or `TasmotaTopic` drew.
    static ROW: Cell<usize> = const { Cell::new(0) };
}

/// A date, `yyyy-mm-dd`.
fn date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.range(2022, 2026),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

/// A date and time as Tasmota writes it (`2024-03-05T10:11:12`).
fn iso_stamp(rng: &mut Rng) -> String {
    format!("{}T{}", date(rng), time(rng))
}

/// A size with three places and a binary unit (`12.345 MiB`), or plain bytes (`512 B`).
fn size(rng: &mut Rng) -> String {
    match rng.zipf(SIZE_UNITS) {
        "B" => format!("{} B", rng.range(0, 1023)),
        unit => format!("{} {unit}", fixed(rng, 0, 1023, 3)),
    }
}

/// A value of `kind`.
fn value(kind: V, rng: &mut Rng) -> String {
    match kind {
        V::Num(low, high) => rng.range(low, high).to_string(),
        V::Negative(low, high) => format!("-{}", rng.range(low, high)),
        V::Padded(low, high) => format!("{:>5}", rng.range(low, high)),
        V::Zipf(items) => rng.zipf(items).to_string(),
        V::Row(table, column) => {
            if column == 0 {
                ROW.set(rng.zipf_index(table.len()));
            }
            table[ROW.get()][column].to_string()
        }
        V::Ip => ip(rng),
        V::FamilyAddress => match ROW.get() {
            0 => ip(rng),
            _ => ipv6(rng),
        },
        V::Port => port(rng).to_string(),
        V::Hex(digits) => rng.hex(digits),
        V::Mac(true) => mac(rng).to_uppercase(),
        V::Mac(false) => mac(rng),
        V::Fixed(low, high, places) => fixed(rng, low, high, places),
        V::Time => time(rng),
        V::Pointer => format!("0x55{}", rng.hex(10)),
        V::VlcObject => format!("00007f{}", rng.hex(10)),
        V::WineThread => format!("{:04x}", rng.range(0x20, 0x1fc)),
        V::TorUptime => {
            let (hours, minutes) = (rng.range(0, 23), rng.range(0, 59));
            match rng.range(0, 2) {
                0 => format!("{hours}:{minutes:02} hours"),
                1 => format!("1 day {hours}:{minutes:02} hours"),
                _ => format!("{} days {hours}:{minutes:02} hours", rng.range(2, 60)),
            }
        }
        V::TorBytes => match rng.range(0, 3) {
            0 => format!("{} kB", rng.range(1, 1023)),
            3 => format!("{} GB", fixed(rng, 1, 40, 2)),
            _ => format!("{} MB", fixed(rng, 1, 1023, 2)),
        },
        V::SyncthingConnection => format!(
            "{}:22000-{}:{}/{}/TLS1.3-TLS_AES_128_GCM_SHA256",
            ip(rng),
            ip(rng),
            port(rng),
            rng.zipf(SYNCTHING_CONNECTIONS)
        ),
        V::Size => size(rng),
        V::Eta => match rng.range(0, 5) {
            0 => "-".to_string(),
            1 => format!("{}s", rng.range(0, 59)),
            2 => format!(
                "{}h{}m{}s",
                rng.range(1, 9),
                rng.range(0, 59),
                rng.range(0, 59)
            ),
            _ => format!("{}m{}s", rng.range(1, 59), rng.range(0, 59)),
        },
        V::BorgDate => format!("{}, {} {}", rng.pick(WEEKDAYS), date(rng), time(rng)),
        V::BorgDuration => {
            let seconds = format!("{} seconds", fixed(rng, 0, 59, 2));
            match rng.range(0, 3) {
                0 => seconds,
                1 => format!(
                    "{} hours {} minutes {seconds}",
                    rng.range(1, 9),
                    rng.range(0, 59)
                ),
                _ => format!("{} minutes {seconds}", rng.range(1, 59)),
            }
        }
        V::CompiledDate => format!(
            "{} {:>2} {}, {}",
            rng.pick(MONTHS),
            rng.range(1, 28),
            rng.range(2022, 2026),
            time(rng)
        ),
        V::UBootDate => format!(
            "{} {:02} {}",
            rng.pick(MONTHS),
            rng.range(1, 28),
            rng.range(2021, 2025)
        ),
        V::Recording => format!(
            "/home/{}/Videos/{} {:02}-{:02}-{:02}.{}",
            rng.zipf(USERS),
            date(rng),
            rng.range(0, 23),
            rng.range(0, 59),
            rng.range(0, 59),
            rng.zipf(&["mkv", "mp4", "flv"])
        ),
        V::SensorReading => {
            let row = ESP_SENSORS[ROW.get()];
            let (low, high): (i64, i64) = (row[3].parse().unwrap(), row[4].parse().unwrap());
            let whole = low + rng.range(0, (high - low) as u64) as i64;
            format!("{whole}.{:05}", rng.range(0, 99_999))
        }
        V::TasmotaTopic => {
            let row = rng.zipf_index(TASMOTA_TOPICS.len());
            ROW.set(row);
            format!(
                "{}/{}/{}",
                TASMOTA_TOPICS[row][0],
                rng.zipf(TASMOTA_DEVICES),
                TASMOTA_TOPICS[row][1]
            )
        }
        V::TasmotaPayload => match TASMOTA_TOPICS[ROW.get()][1] {
            "SENSOR" => format!(
                "{{\"Time\":\"{}\",\"ENERGY\":{{\"TotalStartTime\":\"{}\",\"Total\":{},\"Yesterday\":{},\"Today\":{},\"Period\":{},\"Power\":{},\"ApparentPower\":{},\"ReactivePower\":{},\"Factor\":{},\"Voltage\":{},\"Current\":{}}}}}",
                iso_stamp(rng),
                iso_stamp(rng),
                fixed(rng, 0, 900, 3),
                fixed(rng, 0, 9, 3),
                fixed(rng, 0, 9, 3),
                rng.range(0, 40),
                rng.range(0, 2300),
                rng.range(0, 2400),
                rng.range(0, 900),
                fixed(rng, 0, 0, 2),
                rng.range(220, 240),
                fixed(rng, 0, 9, 3)
            ),
            "STATE" => format!(
                "{{\"Time\":\"{}\",\"Uptime\":\"{}T{}\",\"UptimeSec\":{},\"Heap\":{},\"SleepMode\":\"Dynamic\",\"Sleep\":50,\"LoadAvg\":{},\"MqttCount\":1,\"POWER\":\"{}\",\"Wifi\":{{\"AP\":1,\"SSId\":\"HomeNet\",\"Channel\":{},\"RSSI\":{},\"Signal\":-{}}}}}",
                iso_stamp(rng),
                rng.range(0, 90),
                time(rng),
                rng.range(10, 7_000_000),
                rng.range(18, 30),
                rng.range(9, 99),
                rng.pick(ON_OFF),
                rng.zipf(WIFI_CHANNELS),
                rng.range(30, 100),
                rng.range(40, 90)
            ),
            "RESULT" => format!("{{\"POWER\":\"{}\"}}", rng.pick(ON_OFF)),
            "POWER" => rng.pick(ON_OFF).to_string(),
            _ => rng.pick(&["Online", "Offline"]).to_string(),
        },
    }
}

use V::*;

/// The statements: a format string with `{}` for each variable, and the variables' kinds.
const STATEMENTS: &[Statement<V>] = &[
    // Chromium.
    (
        "GPU process exited unexpectedly: exit_code={}",
        &[Zipf(GPU_EXIT_CODES)],
    ),
    (
        "Passthrough is not supported, GL is {}, ANGLE is {}",
        &[Zipf(GL_IMPLEMENTATIONS), Zipf(ANGLE_IMPLEMENTATIONS)],
    ),
    (
        "Failed to call method: {}: object_path= {}: {}: {}",
        &[
            Row(DBUS_FAILURES, 0),
            Row(DBUS_FAILURES, 1),
            Row(DBUS_FAILURES, 2),
            Row(DBUS_FAILURES, 3),
        ],
    ),
    // Firefox.
    (
        "JavaScript {}: {}, line {}: {}",
        &[
            Zipf(JS_KINDS),
            Zipf(JS_FILES),
            Num(1, 6000),
            Zipf(JS_MESSAGES),
        ],
    ),
    (
        "[{} {}, {}] WARNING: {}: file {}:{}",
        &[
            Zipf(GECKO_PROCESSES),
            Num(900, 999_999),
            Zipf(GECKO_THREADS),
            Zipf(GECKO_WARNINGS),
            Zipf(GECKO_FILES),
            Num(40, 9000),
        ],
    ),
    (
        "Sandbox: seccomp sandbox violation: pid {}, tid {}, syscall {}, args {} {} {} {} {} {}.",
        &[
            Num(900, 999_999),
            Num(900, 999_999),
            Zipf(SYSCALLS),
            Num(0, 30),
            Num(0, 2_000_000),
            Num(0, 9),
            Num(0, 140_737_488_355_327),
            Num(0, 9),
            Num(0, 9),
        ],
    ),
    // GNOME Shell: mutter, GJS and gnome-keyring's PAM module.
    (
        "Window manager warning: Buggy client sent a _NET_ACTIVE_WINDOW message with a timestamp of 0 for 0x{} ({})",
        &[Hex(7), Zipf(WINDOW_TITLES)],
    ),
    (
        "Object {} ({}), has been already disposed — impossible to access it. This might be caused by the object having been destroyed from C code using something such as destroy(), dispose(), or remove() vfuncs.",
        &[Zipf(GJS_TYPES), Pointer],
    ),
    ("gkr-pam: unlocked login keyring", &[]),
    // Plasma's QML.
    (
        "{}:{}:{}: QML {}: Binding loop detected for property \"{}\"",
        &[
            Zipf(QML_FILES),
            Num(10, 600),
            Num(1, 40),
            Zipf(QML_TYPES),
            Zipf(QML_PROPERTIES),
        ],
    ),
    // libinput.
    (
        "event{}  - {}: client bug: event processing lagging behind by {}ms, your system is too slow",
        &[Num(0, 30), Zipf(INPUT_DEVICES), Num(25, 900)],
    ),
    // Xorg.
    (
        "(II) config/udev: Adding input device {} (/dev/input/event{})",
        &[Zipf(INPUT_DEVICES), Num(0, 30)],
    ),
    (
        "(EE) Failed to load module \"{}\" (module does not exist, 0)",
        &[Zipf(XORG_MODULES)],
    ),
    // sway.
    (
        "Starting backend on wayland display '{}'",
        &[Zipf(WAYLAND_DISPLAYS)],
    ),
    (
        "Running compositor on wayland display '{}'",
        &[Zipf(WAYLAND_DISPLAYS)],
    ),
    // PulseAudio.
    (
        "Failed to load module \"{}\" (argument: \"{}\"): initialization failed.",
        &[Zipf(PULSE_MODULES), Zipf(PULSE_ARGUMENTS)],
    ),
    (
        "Error opening PCM device {}: {}",
        &[Zipf(PCM_DEVICES), Zipf(PCM_ERRORS)],
    ),
    // PipeWire.
    (
        "pw.node: ({}-{}) {} -> {}",
        &[
            Zipf(PW_NODES),
            Num(30, 300),
            Zipf(PW_STATES),
            Zipf(PW_STATES),
        ],
    ),
    // BlueZ.
    (
        "Endpoint registered: sender=:1.{} path={}",
        &[Num(20, 400), Zipf(MEDIA_ENDPOINTS)],
    ),
    (
        "Endpoint unregistered: sender=:1.{} path={}",
        &[Num(20, 400), Zipf(MEDIA_ENDPOINTS)],
    ),
    (
        "{}: error updating services: {}",
        &[Mac(true), Zipf(BLUEZ_ERRORS)],
    ),
    // wpa_supplicant.
    (
        "{}: CTRL-EVENT-CONNECTED - Connection to {} completed [id={} id_str=]",
        &[Zipf(WIFI_IFACES), Mac(false), Num(0, 9)],
    ),
    (
        "{}: CTRL-EVENT-DISCONNECTED bssid={} reason={}",
        &[Zipf(WIFI_IFACES), Mac(false), Zipf(DISCONNECT_REASONS)],
    ),
    (
        "{}: Trying to associate with {} (SSID='{}' freq={} MHz)",
        &[
            Zipf(WIFI_IFACES),
            Mac(false),
            Zipf(SSIDS),
            Zipf(FREQUENCIES),
        ],
    ),
    (
        "{}: CTRL-EVENT-SSID-TEMP-DISABLED id={} ssid=\"{}\" auth_failures={} duration={} reason={}",
        &[
            Zipf(WIFI_IFACES),
            Num(0, 9),
            Zipf(SSIDS),
            Num(1, 6),
            Zipf(TEMP_DISABLE_SECONDS),
            Zipf(TEMP_DISABLE_REASONS),
        ],
    ),
    (
        "{}: CTRL-EVENT-SIGNAL-CHANGE above={} signal={} noise={} txrate={}",
        &[
            Zipf(WIFI_IFACES),
            Zipf(&["1", "0"]),
            Negative(30, 90),
            Zipf(&["9999", "-92", "-95", "-89", "-101"]),
            Num(6000, 866_700),
        ],
    ),
    // hostapd.
    ("{}: AP-STA-CONNECTED {}", &[Zipf(AP_IFACES), Mac(false)]),
    ("{}: AP-STA-DISCONNECTED {}", &[Zipf(AP_IFACES), Mac(false)]),
    // udisks2.
    (
        "Mounted {} at {} on behalf of uid {}",
        &[Zipf(BLOCK_DEVICES), Zipf(MOUNT_POINTS), Zipf(UIDS)],
    ),
    (
        "Unmounted {} on behalf of uid {}",
        &[Zipf(BLOCK_DEVICES), Zipf(UIDS)],
    ),
    // Avahi.
    (
        "Joining mDNS multicast group on interface {}.{} with address {}.",
        &[Zipf(AVAHI_IFACES), Row(FAMILIES, 0), FamilyAddress],
    ),
    (
        "Leaving mDNS multicast group on interface {}.{} with address {}.",
        &[Zipf(AVAHI_IFACES), Row(FAMILIES, 0), FamilyAddress],
    ),
    // snapd.
    (
        "storehelpers.go:{}: cannot refresh: snap has no updates available: {}",
        &[Zipf(SNAPD_LINES), Zipf(SNAP_LISTS)],
    ),
    (
        "daemon.go:{}: started snapd/{} (series 16; classic) ubuntu/{} ({}) linux/{}.",
        &[
            Zipf(SNAPD_LINES),
            Zipf(SNAPD_VERSIONS),
            Zipf(UBUNTU_RELEASES),
            Zipf(ARCHES),
            Zipf(KERNELS),
        ],
    ),
    // PackageKit.
    (
        "{} transaction /{}_{} from uid {} finished with {} after {}ms",
        &[
            Zipf(PK_ROLES),
            Num(1, 99999),
            Hex(8),
            Zipf(UIDS),
            Zipf(PK_EXITS),
            Num(1, 90000),
        ],
    ),
    // OpenWrt: netifd and Dropbear.
    ("Interface '{}' is now up", &[Zipf(NETIFD_IFACES)]),
    ("Interface '{}' is now down", &[Zipf(NETIFD_IFACES)]),
    ("Network device '{}' link is up", &[Zipf(NETIFD_DEVICES)]),
    ("Network device '{}' link is down", &[Zipf(NETIFD_DEVICES)]),
    (
        "Password auth succeeded for '{}' from {}:{}",
        &[Zipf(ROUTER_USERS), Ip, Port],
    ),
    (
        "Bad password attempt for '{}' from {}:{}",
        &[Zipf(ROUTER_USERS), Ip, Port],
    ),
    (
        "Exit ({}) from <{}:{}>: {}",
        &[Zipf(ROUTER_USERS), Ip, Port, Zipf(DROPBEAR_EXITS)],
    ),
    // Tor.
    (
        "Bootstrapped {}% ({}): {}",
        &[
            Row(TOR_BOOTSTRAP, 0),
            Row(TOR_BOOTSTRAP, 1),
            Row(TOR_BOOTSTRAP, 2),
        ],
    ),
    (
        "Heartbeat: Tor's uptime is {}, with {} circuits open. I've sent {} and received {}.",
        &[TorUptime, Num(0, 200), TorBytes, TorBytes],
    ),
    (
        "Opening {} on {}",
        &[Zipf(TOR_LISTENERS), Zipf(TOR_ADDRESSES)],
    ),
    (
        "Opened {} connection (ready) on {}",
        &[Zipf(TOR_LISTENERS), Zipf(TOR_ADDRESSES)],
    ),
    // Syncthing.
    (
        "Device {} client is \"{}\" named \"{}\" at {}",
        &[
            Zipf(DEVICE_IDS),
            Zipf(SYNCTHING_CLIENTS),
            Zipf(SYNCTHING_NAMES),
            SyncthingConnection,
        ],
    ),
    (
        "Completed initial scan of {} folder \"{}\" ({})",
        &[Zipf(FOLDER_TYPES), Zipf(FOLDER_LABELS), Zipf(FOLDER_IDS)],
    ),
    // qBittorrent.
    ("Added new torrent. Torrent: \"{}\"", &[Zipf(TORRENTS)]),
    (
        "Torrent download finished. Torrent: \"{}\"",
        &[Zipf(TORRENTS)],
    ),
    ("UPnP/NAT-PMP support: {}", &[Zipf(ON_OFF)]),
    // VLC.
    (
        "[{}] main input error: VLC is unable to open the MRL '{}'. Check the log for details.",
        &[VlcObject, Zipf(MRLS)],
    ),
    (
        "[{}] avcodec decoder: Using {} for hardware decoding",
        &[VlcObject, Zipf(HW_DECODERS)],
    ),
    // mpv.
    ("Playing: {}", &[Zipf(MPV_FILES)]),
    (
        "(+) Video --vid={} (*) ({} {}x{} {}fps)",
        &[
            Num(1, 2),
            Zipf(VIDEO_CODECS),
            Row(RESOLUTIONS, 0),
            Row(RESOLUTIONS, 1),
            Zipf(FRAME_RATES),
        ],
    ),
    ("Exiting... ({})", &[Zipf(MPV_EXITS)]),
    // OBS Studio.
    (
        "==== Recording Start ===============================================",
        &[],
    ),
    (
        "==== Recording Stop ================================================",
        &[],
    ),
    (
        "[ffmpeg muxer: '{}'] Writing file '{}'...",
        &[Zipf(OBS_OUTPUTS), Recording],
    ),
    (
        "adding {} milliseconds of audio buffering, total audio buffering is now {} milliseconds (source: {})",
        &[Num(21, 200), Num(21, 960), Zipf(OBS_SOURCES)],
    ),
    // Kodi.
    ("VideoPlayer::OpenFile: {}", &[Zipf(KODI_FILES)]),
    ("Previous line repeats {} times.", &[Num(1, 400)]),
    // Home Assistant.
    (
        "Setup of domain {} took {} seconds",
        &[Zipf(HA_DOMAINS), Fixed(0, 30, 1)],
    ),
    (
        "Error setting up entry {} for {}",
        &[Row(HA_ENTRIES, 0), Row(HA_ENTRIES, 1)],
    ),
    (
        "Error fetching {} data: {}",
        &[Zipf(HA_COORDINATORS), Zipf(HA_FETCH_ERRORS)],
    ),
    // ESPHome.
    (
        "'{}': Sending state {} {} with {} decimals of accuracy",
        &[
            Row(ESP_SENSORS, 0),
            SensorReading,
            Row(ESP_SENSORS, 1),
            Row(ESP_SENSORS, 2),
        ],
    ),
    (
        "'{}': Sending state {}",
        &[Zipf(ESP_BINARY_SENSORS), Zipf(ON_OFF)],
    ),
    ("'{}' Turning ON.", &[Zipf(ESP_SWITCHES)]),
    ("'{}' Turning OFF.", &[Zipf(ESP_SWITCHES)]),
    (
        "ESPHome version {} compiled on {}",
        &[Zipf(ESPHOME_VERSIONS), CompiledDate],
    ),
    // Tasmota.
    ("MQT: {} = {}", &[TasmotaTopic, TasmotaPayload]),
    (
        "WIF: Connecting to AP{} {} Channel {} BSSId {} in mode {} as {}...",
        &[
            Num(1, 2),
            Zipf(SSIDS),
            Zipf(WIFI_CHANNELS),
            Mac(true),
            Zipf(WIFI_MODES),
            Zipf(TASMOTA_HOSTS),
        ],
    ),
    // Node-RED.
    ("Started flows", &[]),
    ("Stopped flows", &[]),
    (
        "[mqtt-broker:{}] Connected to broker: {}",
        &[Zipf(NODERED_BROKERS), Zipf(BROKER_URLS)],
    ),
    (
        "[mqtt-broker:{}] Disconnected from broker: {}",
        &[Zipf(NODERED_BROKERS), Zipf(BROKER_URLS)],
    ),
    // Mopidy.
    (
        "HTTP server running at [{}]:{}",
        &[Zipf(MOPIDY_HOSTS), Zipf(MOPIDY_HTTP_PORTS)],
    ),
    (
        "MPD server running at [{}]:{}",
        &[Zipf(MOPIDY_HOSTS), Zipf(MOPIDY_MPD_PORTS)],
    ),
    ("Enabled extensions: {}", &[Zipf(MOPIDY_EXTENSIONS)]),
    // Klipper.
    (
        "webhooks client {}: New connection",
        &[Num(139_000_000_000_000, 140_999_999_999_999)],
    ),
    (
        "webhooks client {}: Disconnected",
        &[Num(139_000_000_000_000, 140_999_999_999_999)],
    ),
    (
        "Stats {}: gcodein={}  mcu: mcu_awake={} mcu_task_avg={} mcu_task_stddev={} bytes_write={} bytes_read={} bytes_retransmit={} bytes_invalid={} send_seq={} receive_seq={} retransmit_seq={} srtt={} rttvar={} rto={} ready_bytes={} upcoming_bytes={} freq={} heater_bed: target={} temp={} pwm={} sysload={} cputime={} memavail={} print_time={} buffer_time={} print_stall={} extruder: target={} temp={} pwm={}",
        &[
            Fixed(10, 90000, 1),
            Num(0, 900_000),
            Fixed(0, 0, 3),
            Fixed(0, 0, 6),
            Fixed(0, 0, 6),
            Num(1000, 9_000_000),
            Num(1000, 9_000_000),
            Num(0, 90),
            Num(0, 0),
            Num(100, 900_000),
            Num(100, 900_000),
            Num(0, 90),
            Fixed(0, 0, 3),
            Fixed(0, 0, 3),
            Fixed(0, 0, 3),
            Num(0, 90),
            Num(0, 900),
            Num(15_999_000, 72_001_000),
            Zipf(&["60", "0", "70", "100"]),
            Fixed(18, 110, 1),
            Fixed(0, 0, 3),
            Fixed(0, 3, 2),
            Fixed(10, 9000, 3),
            Num(100_000, 3_900_000),
            Fixed(10, 90000, 3),
            Fixed(0, 3, 3),
            Num(0, 9),
            Zipf(&["210", "0", "245", "190"]),
            Fixed(18, 260, 1),
            Fixed(0, 0, 3),
        ],
    ),
    // U-Boot.
    (
        "U-Boot {} ({} - {} +0000)",
        &[Zipf(UBOOT_VERSIONS), UBootDate, Time],
    ),
    // Godot.
    (
        "Condition \"{}\" is true. Returning: {}",
        &[Zipf(GODOT_CONDITIONS), Zipf(GODOT_RETURNS)],
    ),
    // Wine.
    (
        "{}:err:module:import_dll Library {} (which is needed by L\"{}\") not found",
        &[WineThread, Zipf(DLLS), Zipf(WINDOWS_EXES)],
    ),
    // electron-updater.
    (
        "Update for version {} is not available (latest version: {}, downgrade is disallowed).",
        &[Zipf(APP_VERSIONS), Zipf(APP_VERSIONS)],
    ),
    (
        "Found version {} (url: {})",
        &[Zipf(APP_VERSIONS), Zipf(UPDATE_FILES)],
    ),
    (
        "New version {} has been downloaded to {}",
        &[Zipf(APP_VERSIONS), Zipf(UPDATE_PATHS)],
    ),
    // The Nextcloud desktop client.
    (
        "#### Discovery start ####################################################",
        &[],
    ),
    (
        "#### Propagation start ####################################################",
        &[],
    ),
    // restic.
    (
        "Files:       {} new, {} changed, {} unmodified",
        &[Padded(0, 9999), Padded(0, 999), Padded(0, 99999)],
    ),
    ("Added to the repository: {} ({} stored)", &[Size, Size]),
    // borg.
    ("Time (start): {}", &[BorgDate]),
    ("Time (end):   {}", &[BorgDate]),
    ("Duration: {}", &[BorgDuration]),
    // rclone.
    ("{}: Copied (new)", &[Zipf(RCLONE_FILES)]),
    ("{}: Copied (replaced existing)", &[Zipf(RCLONE_FILES)]),
    (
        "Transferred:   \t{} / {}, {}%, {}/s, ETA {}",
        &[Size, Size, Num(0, 100), Size, Eta],
    ),
];

/// The seed the corpus is generated from.
const SEED: u64 = 0xc11e_47d5_2026_1208;

/// Every statement has one kind for each of its variables.
#[test]
fn statements_have_one_kind_per_variable() {
    assert_one_kind_per_variable(STATEMENTS);
}

/// A statement reads a column of a table's row, an address of a drawn family, a sensor's
/// reading or a Tasmota payload only after drawing that row, with no other row drawn between.
#[test]
fn statements_draw_each_row_before_reading_it() {
    for (format, kinds) in STATEMENTS {
        let mut drawn: Option<&[&[&str]]> = None;
        for kind in *kinds {
            let read = match *kind {
                Row(table, 0) => {
                    drawn = Some(table);
                    continue;
                }
                TasmotaTopic => {
                    drawn = Some(TASMOTA_TOPICS);
                    continue;
                }
                Row(table, _) => table,
                FamilyAddress => FAMILIES,
                SensorReading => ESP_SENSORS,
                TasmotaPayload => TASMOTA_TOPICS,
                _ => continue,
            };
            assert!(drawn == Some(read), "{format}");
        }
    }
}

/// The corpus is the same on every run (rendered twice from its seed, not mined).
#[test]
fn client_corpus_is_the_same_on_every_run() {
    assert_the_same_on_every_run(STATEMENTS, SEED, LINES, value);
}

/// Mines the corpus with the default settings and fails if its grouping accuracy falls below
/// [`MINIMUM_GA`].
#[test]
fn client_corpus_accuracy_with_default_settings() {
    check_statements("client corpus", STATEMENTS, SEED, LINES, value, MINIMUM_GA);
}

// `make bench`: the speed targets of the stack, printed as a table. The bars quoted are C
// stacks measured on this kind of machine (libcoap 4.3.1; see README).
import CoAP
import Foundation

func row(_ name: String, _ value: String, _ bar: String = "") {
    print(name.padding(toLength: 52, withPad: " ", startingAt: 0) + value.padding(toLength: 14, withPad: " ", startingAt: 0) + bar)
}
func ratio(_ ours: Double, _ theirs: Double, _ name: String) -> String {
    String(format: "%@ %.2fx", name, ours / theirs)
}

// `--only NAME` runs one benchmark (codec, tlv, registrations, notifications, atcommands, pty,
// scripts, console), e.g. to profile it.
let only = CommandLine.arguments.firstIndex(of: "--only").flatMap { i in
    i + 1 < CommandLine.arguments.count ? CommandLine.arguments[i + 1] : nil
}
func wanted(_ name: String) -> Bool { only == nil || only == name }

print("bc260 benchmarks (release build)")
if wanted("codec") {
    let codec = CoAPCodecBench.run()
    row("CoAP encode+decode, fixed mix (msg/s)", Measure.format(codec), ratio(codec, 6.8e6, "vs libcoap 6.8 M/s:"))
}
if wanted("tlv") {
    let tlv = TLVBench.run()
    row("TLV encode+decode of /3/0 (per s)", Measure.format(tlv))
}
if wanted("registrations") {
    let platform = ServerThread()
    platform.start()
    let registrations = try RegistrationLoad.run(server: platform.address)
    platform.stop()
    row("platform registrations/s, 16 in flight, loopback", Measure.format(registrations),
        ratio(registrations, 110_000, "vs coap-rd 110 k/s:"))
}
if wanted("notifications") {
    let notifications = try NotificationBench.run()
    row("register, 10,000 NON notifications, deregister", Measure.format(notifications) + " notif./s")
}

if wanted("console") {
    func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
    func ms(_ a: Double, _ b: Double) -> String { String(format: "%.2f/%.2f ms", a * 1000, b * 1000) }
    func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
    if let skipped = BenchPaths.missingBC260 {
        row("console in a pty (first frame, keys, 1 M-line log)", skipped)
    } else {
        do {
            let console = try ConsoleTerminalBench.run(bc260: BenchPaths.bc260)
            for (size, frame) in console.firstFrames {
                row("console first full frame, \(size), from spawn", ms(frame.median),
                    "aim: under 100 ms (median of \(frame.samples.count), worst " + ms(frame.worst) + ")")
            }
            row("console key to screen, median", ms(console.keystroke.median),
                "aim: any frame under 5 ms (\(console.keystroke.samples.count) keys, 200x60)")
            row("console key to screen, p99/worst", ms(console.keystroke.p99, console.keystroke.worst))
            row("console 1 M-line log over --port, lines/s", Measure.format(Double(console.lines) / console.ingestSeconds),
                String(format: "%.1f s, drawn every 64 KiB read", console.ingestSeconds))
            row("console 1 M-line log, page frame, median", ms(console.paging.median),
                "\(console.paging.samples.count) PgUp/PgDn")
            row("console 1 M-line log, page frame, p99/worst", ms(console.paging.p99, console.paging.worst))
            row("console RSS: start, log at cap (\(console.capacity / 1000),000)",
                String(format: "%.1f/%.1f MB", Double(console.residentStart) / 1_048_576, Double(console.residentAtCap) / 1_048_576),
                "after 1 M lines: " + mb(console.residentAfter) + " (highest after the cap: " + mb(console.residentPeakAfterCap) + ")")
        } catch {
            row("console in a pty (first frame, keys, 1 M-line log)", "failed", "\(error)")
        }
    }
    let render = ConsoleBench.run()
    row("  in process, Grid render only: first frame", ms(render.firstFrame))
    row("  in process, Grid render only: key/page median", ms(render.keystroke.median, render.paging.median))
}
if wanted("atcommands") {
    let commands = try ATCommandBench.run()
    row("AT commands/s, in-process emulator, CT IoT observe", Measure.format(commands.wall),
        ratio(commands.wall, 100_000, "vs aim 100 k/s:") + String(format: " (%.1f k per CPU second)", commands.cpu / 1e3))
}
if wanted("pty") {
    if let skipped = BenchPaths.missingBC260 {
        row("AT commands/s, bc260 serve --pty, 1 in flight", skipped)
    } else {
        let commands = try PtyBench.run(bc260: BenchPaths.bc260)
        row("AT commands/s, bc260 serve --pty, 1 in flight", Measure.format(commands))
    }
}
if wanted("scripts") {
    if let skipped = BenchPaths.missingBC260 {
        row("chapter 4 scripts, bc260 run --latency 0", skipped)
    } else {
        for t in try ScriptBench.run(bc260: BenchPaths.bc260, examples: BenchPaths.examples) {
            row("bc260 run \(t.name) --latency 0, process wall", String(format: "%.1f ms", t.processMilliseconds),
                String(format: "%.2fx of the 100 ms aim", t.processMilliseconds / 100))
            row("  same script in process (VirtualScriptRun)", String(format: "%.2f ms", t.inProcessMilliseconds))
        }
    }
}

// Optional: measure another server's registration rate (e.g. libcoap's coap-rd-notls) with
// the same generator: `bc260-bench --rd HOST:PORT`.
if let i = CommandLine.arguments.firstIndex(of: "--rd"), i + 1 < CommandLine.arguments.count,
   let address = PeerAddress(parsing: CommandLine.arguments[i + 1]) {
    let rate = try RegistrationLoad.run(server: address)
    row("registrations/s at \(address), 16 in flight", Measure.format(rate))
}

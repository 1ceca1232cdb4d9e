import Foundation
import ModuleCore
import Platforms

/// Wall time of the chapter 4 example scripts with no pacing (`--latency 0`): as a process
/// (`bc260 run FILE --latency 0`, start-up included) and in process (``VirtualScriptRun`` over
/// an ``EmulatorATDevice``, parse included). Each is the median of a few runs.
enum ScriptBench {
    static let scripts = ["ct-iot.at", "ct-aep.at", "cm-andlink.at"]

    struct Timing {
        var name: String
        var processMilliseconds: Double
        var inProcessMilliseconds: Double
    }

    static func run(bc260: String, examples: String, repeats: Int = 5) throws -> [Timing] {
        try scripts.map { name in
            let path = (examples as NSString).appendingPathComponent(name)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let process = try median(repeats) { try runProcess(bc260: bc260, script: path) }
            let inProcess = try median(repeats * 4) { try runInProcess(text, name: name) }
            return Timing(name: name, processMilliseconds: process, inProcessMilliseconds: inProcess)
        }
    }

    /// `bc260 run FILE --latency 0`, its transcript thrown away; fails unless it passes.
    /// Spawned and reaped directly: Foundation's `Process.waitUntilExit` polls its run loop
    /// every 50 ms on Linux, which would be most of what is measured.
    static func runProcess(bc260: String, script: String) throws {
        let arguments = [bc260, "run", script, "--latency", "0"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, bc260, &actions, nil, &argv, environ)
        guard spawned == 0 else { throw ATCommandBench.Failure(description: "cannot start \(bc260): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // Exited normally with status 0 (WIFEXITED and WEXITSTATUS, which Swift cannot import).
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw ATCommandBench.Failure(description: "bc260 run \(script) --latency 0 failed (wait status \(status))")
        }
    }

    static func runInProcess(_ text: String, name: String) throws {
        let script = try ScriptParser.parse(text, file: name)
        var run = VirtualScriptRun(script: script, device: EmulatorATDevice(), millisecondsPerLine: 0)
        let verdict = run.run()
        if let failure = verdict.failure { throw ATCommandBench.Failure(description: "\(name) in process: \(failure)") }
    }

    /// The median wall time of `count` calls, in milliseconds.
    static func median(_ count: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, count) {
            let start = Measure.now()
            try body()
            times.append((Measure.now() - start) * 1000)
        }
        return times.sorted()[times.count / 2]
    }
}

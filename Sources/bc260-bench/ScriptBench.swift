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
    static func runProcess(bc260: String, script: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bc260)
        process.arguments = ["run", script, "--latency", "0"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ATCommandBench.Failure(description: "bc260 run \(script) --latency 0 exited \(process.terminationStatus)")
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

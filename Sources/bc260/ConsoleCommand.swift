import ArgumentParser
import Console
import Foundation
import ModuleCore
import Platforms
import Runtime

/// `bc260 console` (and `bc260` alone): the ncurses console over the embedded emulator, or
/// over a real module with `--port`.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console: AT input, log, object tree and LwM2M status, over the emulator or a serial port.")

    @Option(help: "Serial device of a real module (or of `bc260 serve --pty`); without it the embedded emulator is used.")
    var port: String?

    @Option(help: "Line speed for --port, in bit/s.")
    var baud: Int = 115_200

    @Flag(name: .customLong("rtscts"), help: "RTS/CTS hardware flow control on --port.")
    var hardwareFlowControl = false

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    @Option(name: .customLong("log"), help: "Append the session to this file as timestamped text, line by line.")
    var logFile: String?

    @Option(name: .customLong("log-cap"), help: "Lines the log keeps; older lines are dropped (memory stays bounded).")
    var logCapacity: Int = 100_000

    @Option(help: ArgumentHelp("Step through the note's example: ct (4.2.2), aep (4.3.2) or andlink (4.4.2), on a fresh emulated module (the saved state is left alone).",
                               valueName: "ct|aep|andlink"))
    var walkthrough: String?

    @Option(help: ArgumentHelp("Send AT+QLASTATUS? every N seconds (shown in the log) to keep the status pane current.", valueName: "N"))
    var poll: Int?

    @Option(help: "Directory for the emulator's saved state and the input history (default: $XDG_STATE_HOME/bc260).")
    var state: String?

    func validate() throws {
        guard logCapacity >= 1 else { throw ValidationError("--log-cap: at least 1 line") }
        if let poll, poll < 1 { throw ValidationError("--poll: at least 1 second") }
        if let walkthrough, WalkthroughSection(name: walkthrough) == nil {
            throw ValidationError("--walkthrough: '\(walkthrough)' is not one of ct, aep, andlink")
        }
        if port != nil {
            do { _ = try SerialPort.BaudRate(baud) } catch {
                throw ValidationError("--baud: \(baud) is not a rate termios supports")
            }
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw ValidationError("the console needs a terminal on stdin and stdout")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = state ?? ModuleStateStore.defaultDirectory(environment: environment)
        let loop = EventLoop()
        var guide: Walkthrough?
        var section: WalkthroughSection?
        if let name = walkthrough, let chosen = WalkthroughSection(name: name) {
            let found: (source: WalkthroughSection.ScriptSource, text: String)
            do { found = try chosen.script(environment: environment) } catch {
                throw ValidationError("--walkthrough: \(error)")
            }
            do { guide = try Walkthrough(section: chosen, scriptText: found.text) } catch {
                throw ValidationError("--walkthrough: \(error)")
            }
            section = chosen
        }
        let link: ModuleLink
        if let port {
            let configuration = SerialPort.Configuration(baudRate: try SerialPort.BaudRate(baud),
                                                         hardwareFlowControl: hardwareFlowControl)
            link = SerialModuleLink(path: port, configuration: configuration, loop: loop)
        } else {
            // Platform answers take a little while, as on a network, so a `:` line's reply is
            // logged before the URC it causes.
            var configuration = Emulator.Configuration(embeddedLatency: 20)
            if let section { configuration.identity = ModuleIdentity(imei: section.noteIMEI) }
            link = try EmulatorLink(loop: loop, stateDirectory: section == nil ? directory : nil, configuration: configuration)
        }
        let colors = !noColor && (environment["NO_COLOR"] ?? "").isEmpty
        let runner = ConsoleRunner(loop: loop, link: link,
                                   options: .init(colors: colors, historyFile: directory.map { $0 + "/history" },
                                                  logCapacity: logCapacity, logFile: logFile,
                                                  walkthrough: guide, pollSeconds: poll))
        let status = try runner.run()
        if status != 0 { throw ExitCode(status) }
    }
}

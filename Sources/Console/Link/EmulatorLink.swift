import CoAP
import ModuleCore
import Platforms
import Runtime

/// The embedded emulator behind the AT link: an ``EmulatorHost`` (the module, its LwM2M session,
/// the note's platforms in-process, and a UDP socket for any other server), on the console's
/// event loop, with its saved state kept in `stateDirectory` as `serve` keeps it.
public final class EmulatorLink: ModuleLink {
    public var onBytes: ([UInt8]) -> Void = { _ in }
    public var onStatus: (String, String?) -> Void = { _, _ in }
    public let linkDescription: String

    let host: EmulatorHost
    private let startupNote: String?
    private var running = false

    /// `stateDirectory` nil: nothing is loaded or saved.
    public init(loop: EventLoop, stateDirectory: String?, configuration: Emulator.Configuration = Emulator.Configuration()) throws(SocketError) {
        let store = stateDirectory.map { ModuleStateStore(directory: $0) }
        let loaded = store?.load()
        var configuration = configuration
        if let loaded { configuration.savedState = loaded.state }
        host = try EmulatorHost(emulator: Emulator(configuration: configuration), loop: loop, stateStore: store)
        linkDescription = "emulator" + (stateDirectory.map { " · state in \($0)" } ?? "")
        startupNote = loaded?.note
        host.onATOutput = { [unowned self] bytes in if running { onBytes(bytes) } }
        // What the embedded platforms did (a registration, a decoded notification) goes to the
        // log as console notes, so a learner sees both ends of the exchange.
        host.onPlatformLines = { [unowned self] lines in
            for line in lines where running { onStatus(linkDescription, "platform \(line)") }
        }
        // What the module cannot say (a server name that does not resolve, a socket error).
        host.onProblem = { [unowned self] problem in if running { onStatus(linkDescription, problem) } }
    }

    public func start() {
        guard !running else { return }
        running = true
        onStatus(linkDescription, "emulated BC260Y-CN powered on" + (startupNote.map { " (\($0))" } ?? ""))
        host.powerOn()
    }

    public func send(line: String) {
        guard running else { return }
        host.receive(atBytes: Array((line + "\r").utf8))
    }

    public func stop() {
        running = false
        host.close()
    }
}

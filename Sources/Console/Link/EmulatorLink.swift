import CoAP
import ModuleCore
import Platforms
import Runtime

/// The embedded emulator behind the AT link: a ``ModuleDevice`` (the module and its LwM2M
/// session) whose datagrams go to the note's platforms running in-process
/// (``EmbeddedNetwork``), timers driven by the console's event loop, and its saved state kept
/// in `stateDirectory` like `serve` keeps it.
///
/// Datagrams for an address no embedded platform holds are dropped with a note: this link
/// does not open UDP sockets (the `serve` host does).
public final class EmulatorLink: ModuleLink {
    public var onBytes: ([UInt8]) -> Void = { _ in }
    public var onStatus: (String, String?) -> Void = { _, _ in }
    public let linkDescription: String

    /// The PDP address of the note's examples: where the module's datagrams come from.
    public static let deviceAddress = PeerAddress(host: "10.177.135.245", port: 56830)

    private let loop: EventLoop
    private var device: ModuleDevice
    private var network: EmbeddedNetwork
    private let store: ModuleStateStore?
    private var timer: EventLoop.TimerID?
    private var running = false
    private var reportedExternal: Set<PeerAddress> = []

    /// `stateDirectory` nil: nothing is loaded or saved.
    public init(loop: EventLoop, stateDirectory: String?, network: EmbeddedNetwork = EmbeddedNetwork()) {
        self.loop = loop
        self.network = network
        store = stateDirectory.map { ModuleStateStore(directory: $0) }
        let loaded = store?.load()
        device = ModuleDevice(module: EmulatedModule(savedState: loaded?.state ?? .defaults))
        linkDescription = "emulator" + (stateDirectory.map { " · state in \($0)" } ?? "")
        startupNote = loaded?.note
    }

    private let startupNote: String?

    public func start() {
        guard !running else { return }
        running = true
        onStatus("emulator", "emulated BC260Y-CN powered on" + (startupNote.map { " (\($0))" } ?? ""))
        absorb(device.powerOn(now: loop.now))
    }

    public func send(line: String) {
        guard running else { return }
        absorb(device.receive(atBytes: Array((line + "\r").utf8), now: loop.now))
    }

    public func stop() {
        running = false
        if let timer { loop.cancel(timer) }
        timer = nil
    }

    // MARK: Wiring

    private func absorb(_ output: DeviceOutput) {
        if !output.bytes.isEmpty { onBytes(output.bytes) }
        if let state = output.stateToSave { try? store?.save(state) }
        route(output.datagrams)
        schedule()
    }

    /// Carries the device's datagrams to the platforms and their answers back, until quiet.
    private func route(_ datagrams: [Datagram]) {
        var queue = datagrams
        var rounds = 0
        while !queue.isEmpty, rounds < 1000 {
            rounds += 1
            let datagram = queue.removeFirst()
            switch network.send(datagram, from: Self.deviceAddress, now: loop.now) {
            case .handled(let replies):
                for reply in replies { queue += deliver(reply) }
            case .external(let transmission):
                if reportedExternal.insert(transmission.to).inserted {
                    onStatus(linkDescription, "emulator: no embedded platform at \(transmission.to); datagrams to it are dropped")
                }
            }
        }
        _ = network.takeLines()
    }

    /// A platform's datagram reaches the device; returns what the device sends back.
    private func deliver(_ transmission: EmbeddedNetwork.Transmission) -> [Datagram] {
        let replies = device.receive(transmission.received, now: loop.now)
        let printed = device.takeOutput()
        if !printed.bytes.isEmpty { onBytes(printed.bytes) }
        if let state = printed.stateToSave { try? store?.save(state) }
        return replies + printed.datagrams
    }

    private func schedule() {
        if let timer { loop.cancel(timer) }
        timer = nil
        guard running, let next = [device.nextDeadline, network.nextDeadline].compactMap({ $0 }).min() else { return }
        timer = loop.schedule(at: next) { [weak self] in
            guard let self else { return }
            self.timer = nil
            let now = self.loop.now
            var datagrams = self.device.advance(to: now)
            let printed = self.device.takeOutput()
            for transmission in self.network.advance(to: now) { datagrams += self.deliver(transmission) }
            self.absorb(DeviceOutput.merging(printed, datagrams: datagrams))
        }
    }
}

extension DeviceOutput {
    static func merging(_ output: DeviceOutput, datagrams: [Datagram]) -> DeviceOutput {
        var merged = output
        merged.datagrams += datagrams
        return merged
    }
}

import ATProtocol
import CoAP
import LwM2M
import Runtime
@testable import ModuleCore

/// A ``ModuleDevice`` and a real LwM2M server node on a `VirtualNetwork`, in virtual time: type
/// AT lines, let the network run, have the server read/observe/write, and read back the lines
/// the module printed and what the server saw.
final class DeviceBench {
    static let deviceAddress = PeerAddress(host: "10.177.135.245", port: 56830)
    static let serverAddress = PeerAddress(host: "180.101.147.115", port: 5683)
    static let endpointName = "867724030023557"

    let network: VirtualNetwork
    let device: VirtualHost<ModuleDevice>
    let server: VirtualHost<LwM2MServerNode>
    /// Every line the module printed, in order.
    private(set) var transcript: [String] = []
    private(set) var serverEvents: [(at: Instant, event: LwM2MServer.Event)] = []
    private(set) var diagnostics: [String] = []
    private(set) var savedState: ModuleState?
    private var unread: [String] = []

    init(timing: ModuleTiming = ModuleTiming(), settings: ModuleSession.Settings = ModuleSession.Settings(),
         server serverMachine: LwM2MServer = LwM2MServer(), serverAddress: PeerAddress = DeviceBench.serverAddress,
         link: LinkConditions = .perfect, quiet: Bool = true) {
        network = VirtualNetwork(seed: 7, defaultLink: link)
        let module = EmulatedModule(identity: ModuleIdentity(imei: Self.endpointName), timing: timing)
        device = network.add(ModuleDevice(module: module, session: ModuleSession(settings: settings)), at: Self.deviceAddress)
        server = network.add(LwM2MServerNode(machine: serverMachine, endpoint: CoAPEndpoint(seed: 99)), at: serverAddress)
        device.perform { node, now in
            let out = node.powerOn(now: now)
            self.record(out)
            return out.datagrams
        }
        if quiet {
            type("ATE0")
            type("AT+QSCLK=0")
            _ = take()
        }
    }

    // MARK: Driving

    /// Types `line` + CR now, lets the network run `settle` ms, and returns every line printed
    /// since the last call.
    @discardableResult
    func type(_ line: String, settle: Int64 = 100) -> [String] {
        device.perform { node, now in
            let out = node.receive(atBytes: Array((line + "\r").utf8), now: now)
            self.record(out)
            return out.datagrams
        }
        return run(for: settle)
    }

    /// Lets `milliseconds` of virtual time pass; returns the lines printed since the last call.
    @discardableResult
    func run(for milliseconds: Int64) -> [String] {
        network.run(for: milliseconds)
        collect()
        return take()
    }

    /// Has the server start `operation` on the module; returns its id and the request's
    /// message id on the wire.
    func serverDoes(_ operation: DeviceOperation) -> (id: DeviceManagement.OperationID?, messageID: UInt16?) {
        let (id, datagrams) = server.withNode { node, now in
            node.command(now: now) { $0.perform(operation, on: Self.endpointName, now: now) }
        }
        network.send(datagrams, from: server.address)
        let mid = datagrams.first.flatMap { try? Message(decoding: $0.bytes) }?.messageID
        return (id, mid)
    }

    func serverForgets(_ id: DeviceManagement.OperationID) {
        let datagrams = server.withNode { node, now in node.command(now: now) { $0.forgetObservation(id) } }
        network.send(datagrams, from: server.address)
    }

    // MARK: Reading

    var now: Instant { network.now }
    var module: EmulatedModule { device.node.module }
    var registration: Registration? { server.node.machine.registration(endpoint: Self.endpointName) }

    /// Datagrams the module sent, decoded, with their send times.
    var sentByDevice: [(at: Instant, message: Message)] {
        network.log.filter { $0.from == Self.deviceAddress }.compactMap { entry in
            (try? Message(decoding: entry.bytes)).map { (entry.sentAt, $0) }
        }
    }

    func operationResult(_ id: DeviceManagement.OperationID?) -> OperationResponse? {
        for (_, e) in serverEvents {
            if case .operation(.completed(let opID, _, _, let response)) = e, opID == id { return response }
        }
        return nil
    }

    func operationFailure(_ id: DeviceManagement.OperationID?) -> FailureCause? {
        for (_, e) in serverEvents {
            if case .operation(.failed(let opID, _, _, let cause)) = e, opID == id { return cause }
        }
        return nil
    }

    func notifications(_ id: DeviceManagement.OperationID?) -> [OperationResponse] {
        serverEvents.compactMap {
            if case .operation(.notification(let opID, _, _, let response)) = $0.event, opID == id { return response }
            return nil
        }
    }

    // MARK: Plumbing

    private func collect() {
        record(device.node.takeOutput())
        for e in server.withNode({ node, _ in node.takeEvents() }) { serverEvents.append((network.now, e)) }
    }

    private func record(_ output: DeviceOutput) {
        let lines = ModuleBench.lines(output.bytes)
        transcript += lines
        unread += lines
        diagnostics += output.diagnostics
        if let state = output.stateToSave { savedState = state }
    }

    private func take() -> [String] {
        defer { unread = [] }
        return unread
    }
}

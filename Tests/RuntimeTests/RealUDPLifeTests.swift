import CoAP
import Foundation
import LwM2M
import Runtime
import Testing

/// The whole client↔server life of the in-memory test (bootstrap, register, observe, ten
/// notifications under pmin/pmax, update, de-register), but over real UDP sockets on loopback
/// with real time: a bootstrap server, an LwM2M server and the client, each an
/// `LwM2MEndpointNode` on its own `UDPHost`, all in one `EventLoop`.
///
/// Attributes are whole seconds, so the periods are 1 s and the lifetime 4 s (Update every
/// 2 s by the BC260 rule); the test takes about five seconds of real time.
@Suite struct RealUDPLifeTests {
    typealias Stamped<E> = (at: Instant, event: E)

    @Test func bootstrapRegisterObserveNotifyUpdateDeregisterOverLoopback() throws {
        let started = Date()
        let loop = EventLoop()
        func bind() throws -> UDPSocket { try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0)) }
        let serverSocket = try bind(), bootstrapSocket = try bind(), clientSocket = try bind()
        let serverURI = "coap://127.0.0.1:\(serverSocket.localAddress.port)"
        let steps = BootstrapStep.serverAccount(uri: serverURI, lifetime: 4, binding: "U")
        let server = UDPHost(node: LwM2MServerNode(machine: LwM2MServer(), endpoint: CoAPEndpoint(seed: 2)),
                             socket: serverSocket, loop: loop)
        let bootstrap = UDPHost(node: LwM2MServerNode(machine: LwM2MServer(bootstrap: BootstrapServer(configurations: ["dev": steps])),
                                                      endpoint: CoAPEndpoint(seed: 3)),
                                socket: bootstrapSocket, loop: loop)
        var profile = ModuleProfile(imei: "863663040000001")
        profile.bootstrap = true
        profile.serverURI = "coap://127.0.0.1:\(bootstrapSocket.localAddress.port)"
        profile.currentTime = 1_700_000_000
        let client = UDPHost(node: LwM2MClientNode(
            machine: LwM2MClient(configuration: ClientConfiguration(endpoint: "dev", bootstrapServer: bootstrapSocket.localAddress),
                                 objects: ObjectTree(profile: profile)),
            endpoint: CoAPEndpoint(seed: 1)), socket: clientSocket, loop: loop)
        defer { client.close(); server.close(); bootstrap.close() }
        var socketErrors: [SocketError] = []
        for host in [server, bootstrap] { host.onError = { socketErrors.append($0) } }
        client.onError = { socketErrors.append($0) }

        var clientEvents: [Stamped<ClientEvent>] = []
        var serverEvents: [Stamped<LwM2MServer.Event>] = []
        var bootstrapEvents: [LwM2MServer.Event] = []
        func drain() {
            let now = loop.now
            clientEvents += client.withNode { n, _ in n.takeEvents() }.map { (now, $0) }
            serverEvents += server.withNode { n, _ in n.takeEvents() }.map { (now, $0) }
            bootstrapEvents += bootstrap.withNode { n, _ in n.takeEvents() }
        }
        /// Runs the loop until `condition` (checked after each pass) or `milliseconds` pass.
        @discardableResult
        func run(milliseconds: Int64, until condition: () -> Bool = { false }) throws -> Bool {
            let deadline = loop.now + milliseconds
            while loop.now < deadline {
                try loop.runOnce(maximumWait: min(20, max(0, deadline - loop.now)))
                drain()
                if condition() { return true }
            }
            return condition()
        }
        func perform(_ operation: DeviceOperation) -> DeviceManagement.OperationID? {
            var id: DeviceManagement.OperationID?
            server.perform { node, now in
                let (opID, out) = node.command(now: now) { $0.perform(operation, on: "dev", now: now) }
                id = opID
                return out
            }
            drain()
            return id
        }
        func completed(_ id: DeviceManagement.OperationID) -> Bool {
            serverEvents.contains { if case .operation(.completed(id, _, _, _)) = $0.event { true } else { false } }
        }

        // Bootstrap, then Register with the server the bootstrap wrote.
        client.perform { node, now in node.command(now: now) { $0.start(now: now) } }
        try run(milliseconds: 3_000) { client.node.machine.status == .registered && server.node.machine.registration(endpoint: "dev") != nil }
        #expect(bootstrapEvents.contains(.bootstrap(.finished(endpoint: "dev"))), "\(bootstrapEvents)")
        #expect(clientEvents.map(\.event).contains(.bootstrapFinished(server: serverSocket.localAddress)))
        let registration = try #require(server.node.machine.registration(endpoint: "dev"), "\(clientEvents)")
        #expect(registration.lifetime == 4)
        #expect(registration.peer == clientSocket.localAddress)
        let registeredAt = try #require(clientEvents.first { if case .registered = $0.event { true } else { false } }?.at)

        // Write-Attributes pmax=1 on the current time, then observe it.
        let path = LwM2MPath(3, 0, 13)
        let attributes = try #require(perform(.writeAttributes(path, query: ["pmax=1"])))
        try run(milliseconds: 1_000) { completed(attributes) }
        let observe = try #require(perform(.observe(path)))
        try run(milliseconds: 1_000) { completed(observe) }
        #expect(completed(attributes) && completed(observe), "\(serverEvents.map(\.event))")
        func notifications() -> [Stamped<OperationResponse>] {
            serverEvents.compactMap {
                if case .operation(.notification(observe, "dev", path, let r)) = $0.event { ($0.at, r) } else { nil }
            }
        }

        // Eight changes 200 ms apart: with no pmin, each is notified at once.
        for k in 1...8 {
            let before = notifications().count
            client.perform { node, now in
                node.command(now: now) { c in c.modifyObjects(now: now) { try? $0.setValue(.time(1_700_000_000 + Int64(k)), at: path) } }
            }
            #expect(try run(milliseconds: 150) { notifications().count > before }, "change \(k) was not notified promptly")
            try run(milliseconds: 200 - 20)
        }
        let changes = notifications()
        let notified: [String] = changes.map { String(decoding: $0.1.content?.bytes ?? [], as: UTF8.self) }
        let values: [String] = (1...8).map { (k: Int) -> String in String(1_700_000_000 + k) }
        #expect(notified == values)

        // Quiet: pmax brings one every second with the last value, never early.
        try run(milliseconds: 2_300)
        let quiet = Array(notifications().dropFirst(changes.count))
        #expect(quiet.count >= 2, "pmax=1 notifications over 2.3 s: \(quiet.count)")
        var last = changes.last?.at ?? .zero
        for (at, response) in quiet {
            #expect(at - last >= 980 && at - last <= 1_400, "pmax gap \(at - last) ms")
            #expect(response.content?.bytes == Array("1700000008".utf8))
            #expect(response.code == .content)
            last = at
        }
        #expect(notifications().count >= 10)
        let sequence = notifications().compactMap(\.1.observe)
        #expect(sequence == sequence.sorted() && Set(sequence).count == sequence.count)

        // Lifetime 4 s: the client updated every 2 s, and the server never let it expire.
        let updates = clientEvents.filter { if case .updated = $0.event { true } else { false } }.map(\.at)
        #expect(updates.count >= 1, "no Update in \(loop.now - registeredAt) ms")
        if let first = updates.first { #expect(first - registeredAt >= 2_000 && first - registeredAt <= 2_500) }
        #expect(serverEvents.contains { if case .registration(.updated) = $0.event { true } else { false } })
        #expect(!serverEvents.contains { if case .registration(.expired) = $0.event { true } else { false } })

        // De-register: the server forgets the client and ends its observation.
        client.perform { node, now in node.command(now: now) { $0.deregister(now: now) } }
        try run(milliseconds: 1_000) { client.node.machine.status == .deregistered }
        #expect(client.node.machine.status == .deregistered)
        #expect(server.node.machine.registration(endpoint: "dev") == nil)
        #expect(serverEvents.contains {
            if case .operation(.observationEnded(observe, _, _, "deregistered")) = $0.event { true } else { false } })
        #expect(socketErrors.isEmpty, "\(socketErrors)")
        #expect(Date().timeIntervalSince(started) < 8)
    }
}

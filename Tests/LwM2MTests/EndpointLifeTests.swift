import CoAP
import Testing
@testable import LwM2M

/// Three LwM2M nodes on CoAP endpoints exchanging real datagrams in virtual time, with an
/// optional filter that loses datagrams.
struct EndpointWorld {
    static let clientAddress = PeerAddress(host: "10.0.0.2", port: 56830)
    var client: LwM2MClientNode
    var server: LwM2MServerNode
    var bootstrap: LwM2MServerNode
    var now: Instant = .zero
    var inFlight: [Datagram] = []   // peer = destination
    var sources: [PeerAddress] = []
    var lose: (Datagram, PeerAddress) -> Bool = { _, _ in false }
    var delivered = 0
    var clientEvents: [(Instant, ClientEvent)] = []
    var serverEvents: [(Instant, LwM2MServer.Event)] = []

    mutating func post(_ datagrams: [Datagram], from source: PeerAddress) {
        for d in datagrams where !lose(d, source) {
            inFlight.append(d)
            sources.append(source)
        }
    }

    mutating func collect() {
        clientEvents += client.takeEvents().map { (now, $0) }
        serverEvents += server.takeEvents().map { (now, $0) }
        _ = bootstrap.takeEvents()
    }

    mutating func settle() {
        while !inFlight.isEmpty {
            let d = inFlight.removeFirst()
            let from = sources.removeFirst()
            let arriving = Datagram(d.bytes, peer: from)
            delivered += 1
            if d.peer == Self.clientAddress { post(client.receive(arriving, now: now), from: Self.clientAddress) }
            else if d.peer == testServer { post(server.receive(arriving, now: now), from: testServer) }
            else if d.peer == testBootstrapServer { post(bootstrap.receive(arriving, now: now), from: testBootstrapServer) }
        }
        collect()
    }

    mutating func run(until t: Instant) {
        settle()
        while let d = [client.nextDeadline, server.nextDeadline, bootstrap.nextDeadline].compactMap({ $0 }).min(), d <= t {
            now = max(now, d)
            post(client.advance(to: now), from: Self.clientAddress)
            post(server.advance(to: now), from: testServer)
            post(bootstrap.advance(to: now), from: testBootstrapServer)
            settle()
        }
        now = max(now, t)
    }

    static func make(client: LwM2MClient, bootstrapSteps: [BootstrapStep] = []) -> EndpointWorld {
        EndpointWorld(
            client: LwM2MClientNode(machine: client, endpoint: CoAPEndpoint(seed: 1)),
            server: LwM2MServerNode(machine: LwM2MServer(), endpoint: CoAPEndpoint(seed: 2)),
            bootstrap: LwM2MServerNode(machine: LwM2MServer(bootstrap: BootstrapServer(configurations: ["dev": bootstrapSteps])),
                                       endpoint: CoAPEndpoint(seed: 3)))
    }
}

@Suite struct EndpointLifeTests {
    @Test func aWholeLifeOverCoAPDatagrams() throws {
        let clock = ContinuousClock()
        let started = clock.now
        var world = EndpointWorld.make(
            client: LwM2MClient(configuration: ClientConfiguration(endpoint: "dev", bootstrapServer: testBootstrapServer),
                                objects: testObjects(bootstrap: true)),
            bootstrapSteps: BootstrapStep.serverAccount(uri: "coap://192.0.2.1:5683", lifetime: 300))
        world.post(world.client.command(now: .zero) { $0.start(now: .zero) }, from: EndpointWorld.clientAddress)
        world.settle()
        #expect(world.client.machine.status == .registered)
        #expect(world.clientEvents.map(\.1).contains(.bootstrapFinished(server: testServer)))

        let path = LwM2MPath(19, 0, 1)
        var observeID: DeviceManagement.OperationID?
        for op in [DeviceOperation.writeAttributes(path, query: ["pmin=10", "pmax=30"]), .observe(path)] {
            let (id, out) = world.server.command(now: world.now) { $0.perform(op, on: "dev", now: world.now) }
            world.post(out, from: testServer)
            world.settle()
            observeID = id
        }
        let observe = try #require(observeID)
        for k in 1...15 {
            world.run(until: Instant(milliseconds: Int64(k) * 4_000))
            world.post(world.client.command(now: world.now) { c in
                c.modifyObjects(now: world.now) { try? $0.setValue(.integer(Int64(k)), at: path) }
            }, from: EndpointWorld.clientAddress)
            world.settle()
        }
        world.run(until: Instant(milliseconds: 200_000))
        let times = world.serverEvents.compactMap { (t, e) -> Int64? in
            if case .operation(.notification(observe, "dev", path, _)) = e { return t.milliseconds }
            return nil
        }
        #expect(times == [10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 100_000, 130_000, 160_000, 190_000])

        world.run(until: Instant(milliseconds: 250_000))
        #expect(world.clientEvents.contains { $0.0 == Instant(milliseconds: 250_000) && { if case .updated = $0 { true } else { false } }($0.1) })

        world.post(world.client.command(now: world.now) { $0.deregister(now: world.now) }, from: EndpointWorld.clientAddress)
        world.settle()
        #expect(world.client.machine.status == .deregistered)
        #expect(world.server.machine.registration(endpoint: "dev") == nil)
        #expect(world.serverEvents.contains {
            if case .operation(.observationEnded(observe, _, _, "deregistered")) = $0.1 { true } else { false } })
        #expect(clock.now - started < .seconds(1))
    }

    @Test func aLostRegisterIsRetransmittedByTheEndpoint() {
        var world = EndpointWorld.make(client: LwM2MClient(
            configuration: ClientConfiguration(endpoint: "dev", server: testServer), objects: testObjects()))
        var dropped = false
        world.lose = { _, from in
            guard from == EndpointWorld.clientAddress, !dropped else { return false }
            dropped = true
            return true
        }
        world.post(world.client.command(now: .zero) { $0.start(now: .zero) }, from: EndpointWorld.clientAddress)
        world.run(until: Instant(milliseconds: 10_000))
        #expect(dropped)
        // The module's policy: first retransmission after 2 s.
        #expect(world.clientEvents.map(\.0) == [Instant(milliseconds: 2_000)])
        #expect(world.client.machine.status == .registered)
    }

    @Test func anUnreachableServerEndsInATimeoutCause() {
        var world = EndpointWorld.make(client: LwM2MClient(
            configuration: ClientConfiguration(endpoint: "dev", server: testServer), objects: testObjects()))
        world.lose = { _, from in from == EndpointWorld.clientAddress }
        world.post(world.client.command(now: .zero) { $0.start(now: .zero) }, from: EndpointWorld.clientAddress)
        world.run(until: Instant(milliseconds: 600_000))
        #expect(world.clientEvents.map(\.1) == [.registrationFailed(.timeout)])
        #expect(world.client.machine.status == .unregistered)
    }

    @Test func aNotificationResetByTheServerEndsTheObservationOnBothSides() throws {
        var world = EndpointWorld.make(client: LwM2MClient(
            configuration: ClientConfiguration(endpoint: "dev", server: testServer), objects: testObjects()))
        world.post(world.client.command(now: .zero) { $0.start(now: .zero) }, from: EndpointWorld.clientAddress)
        world.settle()
        let path = LwM2MPath(19, 0, 1)
        let (id, out) = world.server.command(now: world.now) { $0.perform(.observe(path), on: "dev", now: world.now) }
        world.post(out, from: testServer)
        world.settle()
        let observe = try #require(id)
        world.post(world.server.command(now: world.now) { $0.forgetObservation(observe) }, from: testServer)
        world.post(world.client.command(now: at(1_000)) { c in
            c.modifyObjects(now: at(1_000)) { try? $0.setValue(.integer(7), at: path) }
        }, from: EndpointWorld.clientAddress)
        world.settle()
        #expect(world.clientEvents.map(\.1).contains(.observationCancelled(path, reason: "notification reset by peer")))
        #expect(world.client.machine.observedPaths.isEmpty)
    }
}

import CoAP
import Testing
@testable import LwM2M

/// A client, a bootstrap server and an LwM2M server wired back to back in memory: every message
/// is delivered at once and in order, time is virtual. (The same life over the CoAP exchange
/// machine, with message ids and retransmissions, belongs beside the endpoint adapter.)
struct DirectWorld {
    static let clientAddress = PeerAddress(host: "10.0.0.2", port: 56830)
    var client: LwM2MClient
    var bootstrapServer: LwM2MServer
    var server: LwM2MServer
    var now: Instant = .zero
    var queue: [(Message, from: PeerAddress, to: PeerAddress)] = []
    var clientEvents: [(Instant, ClientEvent)] = []
    var serverEvents: [(Instant, LwM2MServer.Event)] = []
    var bootstrapEvents: [LwM2MServer.Event] = []

    mutating func take(_ actions: [LwM2MClient.Action]) {
        for a in actions {
            switch a {
            case .send(let m, let to): queue.append((m, Self.clientAddress, to))
            case .event(let e): clientEvents.append((now, e))
            }
        }
    }

    mutating func take(_ actions: [LwM2MServer.Action], from address: PeerAddress) {
        for a in actions {
            switch a {
            case .send(let m, let to): queue.append((m, address, to))
            case .event(let e):
                if address == testServer { serverEvents.append((now, e)) } else { bootstrapEvents.append(e) }
            }
        }
    }

    /// Delivers everything in flight, including what the deliveries provoke.
    mutating func settle() {
        while !queue.isEmpty {
            let (m, from, to) = queue.removeFirst()
            if to == Self.clientAddress {
                take(client.receive(m, from: from, now: now))
            } else if to == testServer {
                take(server.receive(m, from: from, now: now), from: testServer)
            } else if to == testBootstrapServer {
                take(bootstrapServer.receive(m, from: from, now: now), from: testBootstrapServer)
            }
        }
    }

    var nextDeadline: Instant? {
        [client.nextDeadline, server.nextDeadline, bootstrapServer.nextDeadline].compactMap { $0 }.min()
    }

    /// Moves time to `t`, firing every deadline on the way in order.
    mutating func run(until t: Instant) {
        settle()
        while let d = nextDeadline, d <= t {
            now = max(now, d)
            take(client.advance(to: now))
            take(server.advance(to: now), from: testServer)
            take(bootstrapServer.advance(to: now), from: testBootstrapServer)
            settle()
        }
        now = max(now, t)
    }

    mutating func perform(_ op: DeviceOperation) -> DeviceManagement.OperationID? {
        let (id, actions) = server.perform(op, on: "dev", now: now)
        take(actions, from: testServer)
        settle()
        return id
    }
}

@Suite struct ClientServerLifeTests {
    @Test func bootstrapRegisterObserveTenNotificationsUpdateDeregister() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let steps = BootstrapStep.serverAccount(uri: "coap://192.0.2.1:5683", lifetime: 300, binding: "U")
        var world = DirectWorld(
            client: LwM2MClient(configuration: ClientConfiguration(endpoint: "dev", bootstrapServer: testBootstrapServer),
                                objects: testObjects(bootstrap: true)),
            bootstrapServer: LwM2MServer(bootstrap: BootstrapServer(configurations: ["dev": steps])),
            server: LwM2MServer())

        // Bootstrap, then Register with the server it handed out.
        world.take(world.client.start(now: world.now))
        world.settle()
        #expect(world.bootstrapEvents.contains(.bootstrap(.finished(endpoint: "dev"))))
        #expect(world.client.status == .registered)
        let registration = try #require(world.server.registration(endpoint: "dev"))
        #expect(registration.lifetime == 300 && registration.objectPaths.contains(LwM2MPath(19, 0)))

        // The server sets pmin 10 / pmax 30 on /19/0/1 and observes it.
        let path = LwM2MPath(19, 0, 1)
        _ = world.perform(.writeAttributes(path, query: ["pmin=10", "pmax=30"]))
        let observeID = world.perform(.observe(path))
        let observe = try #require(observeID)
        #expect(world.server.management.observations(of: "dev").map(\.1) == [path])

        // The value changes every 4 s for the first 60 s, then rests; run 200 s.
        for k in 1...15 {
            world.run(until: Instant(milliseconds: Int64(k) * 4_000))
            world.take(world.client.modifyObjects(now: world.now) { try? $0.setValue(.integer(Int64(k)), at: path) })
            world.settle()
        }
        world.run(until: Instant(milliseconds: 200_000))
        let notifications = world.serverEvents.compactMap { (t, e) -> (Instant, OperationResponse)? in
            if case .operation(.notification(observe, "dev", path, let r)) = e { return (t, r) }
            return nil
        }
        #expect(notifications.count >= 10)
        var last = Instant.zero
        for (t, r) in notifications.prefix(10) {
            #expect(t - last >= 10_000 && t - last <= 30_000, "gap \(t - last) ms at \(t)")
            #expect(r.code == .content)
            last = t
        }
        // While changing, pmin paces them (every 10 s; the change at 60 s waits until 70 s);
        // once quiet, pmax (every 30 s).
        #expect(notifications.map(\.0.milliseconds)
                == [10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 100_000, 130_000, 160_000, 190_000])
        #expect(notifications.last?.1.content?.bytes == Array("15".utf8))

        // The Update falls due 250 s after Register.
        world.run(until: Instant(milliseconds: 250_000))
        #expect(world.serverEvents.contains { $0.0 == Instant(milliseconds: 250_000) && {
            if case .registration(.updated) = $0.1 { true } else { false } }($0) })
        #expect(world.clientEvents.contains { if case .updated = $0.1 { true } else { false } })

        // De-register: the server forgets the client and its observation.
        world.take(world.client.deregister(now: world.now))
        world.settle()
        #expect(world.client.status == .deregistered)
        #expect(world.server.registration(endpoint: "dev") == nil)
        #expect(world.server.management.observations(of: "dev").isEmpty)
        #expect(clock.now - started < .seconds(1))
    }

    @Test func aLapsedClientIsForgottenAndItsUpdateIsToldToRegisterAgain() throws {
        // The Server object's lifetime (/1/0/1) is the one in force.
        var objects = testObjects()
        try objects.setValue(.integer(60), at: LwM2MPath(1, 0, 1))
        var world = DirectWorld(
            client: LwM2MClient(configuration: ClientConfiguration(endpoint: "dev", server: testServer, lifetime: 999),
                                objects: objects),
            bootstrapServer: LwM2MServer(), server: LwM2MServer())
        world.take(world.client.start(now: .zero))
        world.settle()
        // The Update (bc260 rule: lifetime 60 → 38 s) is lost on the way; the lifetime runs out.
        world.run(until: Instant(milliseconds: 37_999))
        world.now = Instant(milliseconds: 38_000)
        world.take(world.client.advance(to: world.now))
        #expect(world.queue.count == 1 && world.queue.first?.0.uriPath == ["rd", "1"])
        let lost = try #require(world.queue.first?.0.token)
        world.queue.removeAll()
        world.run(until: Instant(milliseconds: 60_000))
        // The exchange beneath gives up on it.
        world.take(world.client.exchangeFailed(token: lost, .timeout, now: world.now))
        #expect(world.clientEvents.last?.1 == .updateFailed(.timeout, token: lost))
        #expect(world.serverEvents.contains { if case .registration(.expired) = $0.1 { true } else { false } })
        // A manual Update now meets 4.04 and the client knows it must register again.
        world.take(world.client.update(now: world.now))
        world.settle()
        #expect(world.clientEvents.contains { $0.1 == .registrationLost })
        #expect(world.client.status == .unregistered)
    }
}

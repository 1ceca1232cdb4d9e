import CoAP
import LwM2M
import Runtime
import Testing

/// An LwM2M client and server, each on a CoAP endpoint, on the virtual network with a lossy,
/// slow link: the exchange machine's retransmissions carry the LwM2M machines through.
@Suite struct LwM2MOverVirtualNetworkTests {
    let clientAddress = PeerAddress(host: "10.0.0.2", port: 56830)
    let serverAddress = PeerAddress(host: "10.0.0.1", port: 5683)

    @Test func registerObserveNotifyUpdateDeregisterOverALossyLink() throws {
        let network = VirtualNetwork(seed: 7, defaultLink: LinkConditions(delay: 80, jitter: 40, lossProbability: 0.2))
        var profile = ModuleProfile(imei: "863663040000001")
        profile.lifetime = 120
        var objects = ObjectTree(profile: profile)
        objects.define(.binaryAppDataContainer)
        try objects.setInstance(ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque([])]), .single(1, .integer(0))]), of: 19)
        let client = network.add(LwM2MClientNode(
            machine: LwM2MClient(configuration: ClientConfiguration(endpoint: "dev", server: serverAddress), objects: objects),
            endpoint: CoAPEndpoint(seed: 11)), at: clientAddress)
        let server = network.add(LwM2MServerNode(machine: LwM2MServer(), endpoint: CoAPEndpoint(seed: 12)), at: serverAddress)
        var clientEvents: [ClientEvent] = []
        var serverEvents: [LwM2MServer.Event] = []
        func drain() {
            clientEvents += client.withNode { node, _ in node.takeEvents() }
            serverEvents += server.withNode { node, _ in node.takeEvents() }
        }

        client.perform { node, now in node.command(now: now) { $0.start(now: now) } }
        _ = network.run(until: Instant(milliseconds: 60_000))
        drain()
        #expect(clientEvents.contains { if case .registered = $0 { true } else { false } })

        let path = LwM2MPath(19, 0, 1)
        server.perform { node, now in
            node.command(now: now) { $0.perform(.writeAttributes(path, query: ["pmin=5", "pmax=20"]), on: "dev", now: now) }.1
        }
        server.perform { node, now in node.command(now: now) { $0.perform(.observe(path), on: "dev", now: now) }.1 }
        for k in 1...20 {
            client.schedule(at: Instant(milliseconds: 60_000 + Int64(k) * 3_000)) { node, now in
                node.command(now: now) { c in c.modifyObjects(now: now) { try? $0.setValue(.integer(Int64(k)), at: path) } }
            }
        }
        _ = network.run(until: Instant(milliseconds: 200_000))
        drain()
        let notifications = serverEvents.filter { if case .operation(.notification) = $0 { true } else { false } }
        // NON notifications over a 20 % lossy link: most, not all, arrive; pmin keeps them apart.
        #expect(notifications.count >= 5)
        #expect(clientEvents.filter { if case .updated = $0 { true } else { false } }.count >= 1)

        client.perform { node, now in node.command(now: now) { $0.deregister(now: now) } }
        _ = network.run(until: Instant(milliseconds: 400_000))
        drain()
        #expect(clientEvents.contains(.deregistered))   // seeded: the DELETE gets through
        #expect(server.node.machine.registration(endpoint: "dev") == nil)
    }
}

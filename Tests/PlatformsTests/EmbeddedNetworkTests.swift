import CoAP
import LwM2M
import Runtime
import Testing
@testable import Platforms

/// A client node wired to an `EmbeddedNetwork` the way the emulator wires the module: what the
/// client sends is routed; what comes back is fed to it as coming from the address it used.
struct EmbeddedWorld {
    var network: EmbeddedNetwork
    var client: LwM2MClientNode
    var now: Instant = .zero
    var external: [EmbeddedNetwork.Transmission] = []
    var clientEvents: [ClientEvent] = []

    mutating func deliver(_ out: [Datagram]) {
        var queue = out
        while !queue.isEmpty {
            let d = queue.removeFirst()
            switch network.send(d, from: deviceAddress, now: now) {
            case .external(let t): external.append(t)
            case .handled(let replies):
                for r in replies where r.to == deviceAddress { queue += client.receive(r.received, now: now) }
            }
        }
        clientEvents += client.takeEvents()
    }

    mutating func run(until t: Instant) {
        while let d = [client.nextDeadline, network.nextDeadline].compactMap({ $0 }).min(), d <= t {
            now = max(now, d)
            deliver(client.advance(to: now))
            for r in network.advance(to: now) where r.to == deviceAddress { deliver(client.receive(r.received, now: now)) }
        }
        now = max(now, t)
    }

    init(network: EmbeddedNetwork, configuration: ClientConfiguration, objects: ObjectTree) {
        self.network = network
        client = LwM2MClientNode(machine: LwM2MClient(configuration: configuration, objects: objects),
                                 endpoint: CoAPEndpoint(seed: 5))
    }

    mutating func start() { deliver(client.command(now: now) { $0.start(now: now) }) }
}

@Suite struct EmbeddedNetworkTests {
    let ct = PeerAddress(host: "180.101.147.115", port: 5683)
    let aep = PeerAddress(host: "221.229.214.202", port: 5683)
    let andlink = PeerAddress(host: "lwm.home.komect.com", port: 5683)

    @Test func theNotesAddressesAreServedInProcess() {
        let network = EmbeddedNetwork()
        #expect(network.route(ct) == .embedded(.ctIoT, at: ct))
        #expect(network.route(aep) == .embedded(.ctAEP, at: aep))
        #expect(network.route(andlink) == .embedded(.andlink, at: andlink))
        #expect(network.route(PeerAddress(host: "LWM.Home.Komect.COM", port: 5683)) == .embedded(.andlink, at: andlink))
        // Port + 1 is the platform's DTLS port; anything else there is not the platform.
        #expect(network.route(PeerAddress(host: "180.101.147.115", port: 5684)) == .embeddedSecure(.ctIoT, at: ct))
        #expect(network.route(PeerAddress(host: "221.229.214.202", port: 5684)) == .embeddedSecure(.ctAEP, at: aep))
        #expect(network.route(PeerAddress(host: "180.101.147.115", port: 5685)) == .external(PeerAddress(host: "180.101.147.115", port: 5685)))
        #expect(network.route(PeerAddress(host: "10.0.0.1", port: 5683)) == .external(PeerAddress(host: "10.0.0.1", port: 5683)))
        #expect(network.address(of: .andlink) == andlink)
        #expect(network.address(of: .generic) == nil)
        #expect(network.platform(at: aep)?.profile == .ctAEP)
        // Without embedded platforms everything is external.
        #expect(EmbeddedNetwork(profiles: []).route(ct) == .external(ct))
    }

    @Test func remapRulesParse() throws {
        let r = try AddressRemap(parsing: "180.101.147.115:5683=127.0.0.1:5684")
        #expect(r.from == ct && r.to == PeerAddress(host: "127.0.0.1", port: 5684))
        #expect(r.description == "180.101.147.115:5683=127.0.0.1:5684")
        let named = try AddressRemap(parsing: "LWM.home.komect.com=[::1]:6000")
        #expect(named.from == andlink && named.to == PeerAddress(host: "::1", port: 6000))
        for bad in ["", "180.101.147.115:5683", "a=b=c", "=127.0.0.1:5683", "180.101.147.115:99999=127.0.0.1:1",
                    "1.2.3.4:5683=[::1", "a b=c"] {
            #expect(throws: AddressRemap.ParseError.self, "\(bad)") { try AddressRemap(parsing: bad) }
        }
        #expect(throws: AddressRemap.ParseError.notAPair("x")) { try AddressRemap(parsing: "x") }
    }

    @Test func remappingAPlatformAwaySendsItsTrafficOutAndBack() throws {
        let local = PeerAddress(host: "127.0.0.1", port: 5684)
        var world = EmbeddedWorld(
            network: EmbeddedNetwork(remaps: [try AddressRemap(parsing: "180.101.147.115:5683=127.0.0.1:5684")]),
            configuration: ClientConfiguration(endpoint: ctIMEI, server: ct, lifetime: 300),
            objects: deviceObjects(imei: ctIMEI, serverURI: "coap://\(ct)"))
        #expect(world.network.route(ct) == .external(local))
        #expect(world.network.originalAddress(of: local) == ct)
        #expect(world.network.originalAddress(of: aep) == aep)
        world.start()
        let register = try #require(world.external.first)
        #expect(register.to == local && register.from == deviceAddress)
        #expect(try Message(decoding: register.bytes).uriPath == ["rd"])
        #expect(world.network.platform(at: ct)?.lines(after: nil).isEmpty == true)
    }

    @Test func anAddressRemappedOntoAPlatformIsAnsweredFromThatAddress() throws {
        let configured = PeerAddress(host: "10.0.0.5", port: 5683)
        var world = EmbeddedWorld(
            network: EmbeddedNetwork(remaps: [AddressRemap(from: configured, to: ct)]),
            configuration: ClientConfiguration(endpoint: ctIMEI, server: configured, lifetime: 300),
            objects: deviceObjects(imei: ctIMEI, serverURI: "coap://\(configured)"))
        #expect(world.network.route(configured) == .embedded(.ctIoT, at: ct))
        world.start()
        world.run(until: at(1_000))
        // The client heard its 2.01 and the Observe from 10.0.0.5, and answered both.
        #expect(world.clientEvents.contains(.registered(location: ["rd", "1"])))
        #expect(world.clientEvents.contains { if case .observationStarted(let p, _) = $0 { p == LwM2MPath(19, 0, 0) } else { false } })
        #expect(world.external.isEmpty)
        let lines = world.network.takeLines()
        #expect(lines.allSatisfy { $0.profile == .ctIoT })
        #expect(lines.map(\.line.text).contains("#1 Observe /19/0/0 on \(ctIMEI): 2.05 Content"))
        #expect(world.network.takeLines().isEmpty)
    }

    @Test func andlinkByNameBootstrapsAndRegistersInProcess() throws {
        var world = EmbeddedWorld(
            network: EmbeddedNetwork(),
            configuration: ClientConfiguration(endpoint: andlinkIMEI, bootstrapServer: andlink, lifetime: 30),
            objects: deviceObjects(imei: andlinkIMEI, serverURI: "coap://\(andlink)", bootstrap: true))
        world.start()
        world.run(until: at(2_000))
        #expect(world.clientEvents.contains(.bootstrapFinished(server: andlink)))
        #expect(world.clientEvents.contains(.registered(location: ["rd", "1"])))
        let texts = world.network.takeLines().map(\.line.text)
        #expect(texts.contains("#1 Read /19/1/0 on \(andlinkIMEI): 2.05 Content"))
        #expect(texts.contains("#2 Write /19/1/0 on \(andlinkIMEI) (automatic, after reading /19/1/0)"))

        // A console line to the embedded Andlink platform reaches the client.
        let (reply, sent) = try #require(world.network.perform(try PlatformCommand(parsing: "read 1 /3/0/0"), on: .andlink, now: world.now))
        #expect(reply.lines == ["#3 Read /3/0/0 on \(andlinkIMEI): sent"])
        #expect(sent.count == 1 && sent[0].from == andlink && sent[0].to == deviceAddress)
        for t in sent { world.deliver(world.client.receive(t.received, now: world.now)) }
        #expect(world.network.takeLines().map(\.line.text).contains(#"    /3/0/0 = "Quectel""#))
        #expect(world.network.perform(.list, on: .generic, now: world.now) == nil)
    }
}

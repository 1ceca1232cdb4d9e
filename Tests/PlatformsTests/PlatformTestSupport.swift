import CoAP
import LwM2M
import Runtime
@testable import Platforms

/// The module's address in the note (AT+CGPADDR) with a source port.
let deviceAddress = PeerAddress(host: "10.177.135.245", port: 56830)
let ctIMEI = "867724030023557"
let aepEndpoint = "urn:imei-imsi:867724030023557-460083513507314"
let andlinkIMEI = "866971031275899"

func at(_ ms: Int64) -> Instant { Instant(milliseconds: ms) }

/// A BC260Y-CN tree with object 19 instances 0 and 1 (/19/0/0 uplink, /19/1/0 downlink), as
/// after `AT+QLAADDOBJ=19,0,1,0` and `AT+QLAADDOBJ=19,1,1,0`.
func deviceObjects(imei: String, serverURI: String, bootstrap: Bool = false, lifetime: Int64 = 300,
                   uplink: [UInt8] = [0x02, 0x00, 0x01, 0x00, 0x04, 0x00, 0x02, 0x32, 0x38],
                   downlink: [UInt8] = Array(#"{"outletStatus":"0"}"#.utf8)) -> ObjectTree {
    var profile = ModuleProfile(imei: imei)
    profile.serverURI = serverURI
    profile.bootstrap = bootstrap
    profile.lifetime = lifetime
    var tree = ObjectTree(profile: profile)
    tree.define(.binaryAppDataContainer)
    try? tree.setInstance(ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque(uplink)])]), of: 19)
    try? tree.setInstance(ObjectInstance(id: 1, resources: [.multiple(0, [0: .opaque(downlink)])]), of: 19)
    return tree
}

/// A device and one platform on a perfect virtual network.
final class PlatformWorld {
    let network: VirtualNetwork
    let platform: VirtualHost<EmbeddedPlatform>
    let device: VirtualHost<LwM2MClientNode>
    var deviceEvents: [ClientEvent] = []

    init(profile: PlatformProfile, endpoint: String, link: LinkConditions = LinkConditions(delay: 50),
         objects: ObjectTree? = nil, configure: (inout ClientConfiguration) -> Void = { _ in }) {
        network = VirtualNetwork(seed: 3, defaultLink: link)
        let platformNode = EmbeddedPlatform(profile: profile)
        let address = platformNode.address
        platform = network.add(platformNode, at: address)
        let bootstrap = profile == .andlink
        var config = bootstrap
            ? ClientConfiguration(endpoint: endpoint, bootstrapServer: address, lifetime: 30)
            : ClientConfiguration(endpoint: endpoint, server: address, lifetime: 300)
        configure(&config)
        let tree = objects ?? deviceObjects(imei: String(endpoint.suffix(15)), serverURI: "coap://\(address)",
                                            bootstrap: bootstrap)
        device = network.add(LwM2MClientNode(machine: LwM2MClient(configuration: config, objects: tree),
                                             endpoint: CoAPEndpoint(seed: 99)), at: deviceAddress)
    }

    func start() {
        device.perform { node, now in node.command(now: now) { $0.start(now: now) } }
    }

    func run(until ms: Int64) {
        network.run(until: at(ms))
        deviceEvents += device.withNode { node, _ in node.takeEvents() }
    }

    var lines: [PlatformLine] { platform.node.lines(after: nil) }
    var texts: [String] { lines.map(\.text) }

    /// CoAP messages the platform sent, decoded, with when they left.
    var platformMessages: [(at: Instant, message: Message)] {
        network.log.filter { $0.from == platform.address }.compactMap { d in
            (try? Message(decoding: d.bytes)).map { (d.sentAt, $0) }
        }
    }

    var deviceMessages: [(at: Instant, message: Message)] {
        network.log.filter { $0.from == deviceAddress }.compactMap { d in
            (try? Message(decoding: d.bytes)).map { (d.sentAt, $0) }
        }
    }
}

extension PlatformWorld {
    /// The platform's requests (not its responses), in send order.
    var platformRequests: [(at: Instant, message: Message)] { platformMessages.filter { $0.message.code.isRequest } }

    /// The device's answer to `request` (same token), if one was sent.
    func deviceAnswer(to request: Message) -> (at: Instant, message: Message)? {
        deviceMessages.first { $0.message.token == request.token && $0.message.code.isResponse }
    }

    /// The platform's answer to the device's `request` (same token).
    func platformAnswer(to request: Message) -> (at: Instant, message: Message)? {
        platformMessages.first { $0.message.token == request.token && $0.message.code.isResponse }
    }

    func changeUplink(_ bytes: [UInt8]) {
        device.perform { node, now in
            node.command(now: now) { c in c.modifyObjects(now: now) { try? $0.setValue(.opaque(bytes), at: LwM2MPath(19, 0, 0, 0)) } }
        }
    }

    /// A console line, carried out now on the platform; what it sends goes on the network.
    @discardableResult
    func type(_ line: String) throws -> PlatformReply {
        let command = try PlatformCommand(parsing: line)
        var reply = PlatformReply(lines: [])
        platform.perform { node, now in
            reply = node.perform(command, now: now)
            return reply.datagrams
        }
        return reply
    }
}

/// `[0x02, 0x00]` from `"0200"` (test data only: traps on bad input).
func hex(_ s: String) -> [UInt8] {
    let chars = Array(s.utf8)
    return stride(from: 0, to: chars.count, by: 2).map { UInt8(String(decoding: chars[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

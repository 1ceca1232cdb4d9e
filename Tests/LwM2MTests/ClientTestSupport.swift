import CoAP
@testable import LwM2M

let testServer = PeerAddress(host: "192.0.2.1", port: 5683)
let testBootstrapServer = PeerAddress(host: "192.0.2.9", port: 5683)

func at(_ ms: Int64) -> Instant { Instant(milliseconds: ms) }

/// A BC260-like tree with object 19 instance 0 (its /19/0/1 is a writable integer to observe).
func testObjects(bootstrap: Bool = false) -> ObjectTree {
    var profile = ModuleProfile(imei: "863663040000001")
    profile.serverURI = bootstrap ? "coap://192.0.2.9:5683" : "coap://192.0.2.1:5683"
    profile.bootstrap = bootstrap
    profile.lifetime = 300
    var tree = ObjectTree(profile: profile)
    tree.define(.binaryAppDataContainer)
    try? tree.setInstance(ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque([1, 2])]), .single(1, .integer(0))]),
                          of: 19)
    return tree
}

extension Array where Element == LwM2MClient.Action {
    var messages: [Message] { compactMap { if case .send(let m, _) = $0 { m } else { nil } } }
    var events: [ClientEvent] { compactMap { if case .event(let e) = $0 { e } else { nil } } }
    var requests: [Message] { messages.filter(\.code.isRequest) }
}

/// A server-side request as the exchange beneath would deliver it.
func serverRequest(_ code: Code, _ path: String, mid: UInt16 = 100, token: [UInt8] = [0xAB],
                   query: [String] = [], accept: UInt32? = nil, observe: UInt32? = nil,
                   format: UInt32? = nil, payload: [UInt8] = []) -> Message {
    var m = Message(type: .confirmable, code: code, messageID: mid, token: Token(token) ?? .empty)
    m.uriPath = path.split(separator: "/").map(String.init)
    m.uriQuery = query
    m.accept = accept
    m.observe = observe
    m.contentFormat = format
    m.payload = payload
    return m
}

func ack(_ request: Message, _ code: Code, location: [String] = []) -> Message {
    var m = Message(type: .acknowledgement, code: code, messageID: request.messageID, token: request.token)
    m.locationPath = location
    return m
}

/// Registers a client (lifetime 300, binding given) at t=0 and returns it.
func registeredClient(binding: String = "U", awake: Int64 = 93_000,
                      configure: (inout ClientConfiguration) -> Void = { _ in }) -> LwM2MClient {
    var config = ClientConfiguration(endpoint: "863663040000001", server: testServer, lifetime: 300,
                                     binding: binding, awakeMilliseconds: awake)
    configure(&config)
    var objects = testObjects()
    try? objects.setValue(.string(binding), at: LwM2MPath(1, 0, 7))
    var client = LwM2MClient(configuration: config, objects: objects)
    let register = client.start(now: .zero).requests[0]
    _ = client.receive(ack(register, .created, location: ["rd", "5"]), from: testServer, now: .zero)
    return client
}

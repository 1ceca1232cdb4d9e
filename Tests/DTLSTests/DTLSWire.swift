import CoAP
import DTLS

/// A client session and a server in memory, with the datagrams between them in two queues and
/// a clock that moves only when told. A filter may drop any datagram on its way.
struct DTLSWire {
    static let clientAddress = PeerAddress(host: "10.0.0.2", port: 40_000)
    static let psk = PreSharedKey(identity: "bc260-client", text: "secret-key-0123")

    var client: DTLSSession
    var server: DTLSServer
    var now: Instant = .zero
    var toServer: [[UInt8]] = []
    var toClient: [[UInt8]] = []
    /// Everything that crossed (or was dropped), in order: (to the server?, bytes).
    var log: [(toServer: Bool, bytes: [UInt8])] = []
    var clientPlaintext: [[UInt8]] = []
    var serverPlaintext: [[UInt8]] = []
    /// Return true to drop: (to the server?, index of the datagram in its direction, bytes).
    var drop: (Bool, Int, [UInt8]) -> Bool = { _, _, _ in false }
    private var sentToServer = 0
    private var sentToClient = 0

    init(client credentials: PreSharedKey = DTLSWire.psk, clientConfiguration: DTLSConfiguration = DTLSConfiguration(),
         serverKeys: [PreSharedKey] = [DTLSWire.psk], serverConfiguration: DTLSConfiguration = DTLSConfiguration(),
         resuming: DTLSSavedSession? = nil) throws {
        client = try DTLSSession(client: credentials, configuration: clientConfiguration, resuming: resuming)
        server = try DTLSServer(configuration: serverConfiguration, keys: PreSharedKeyStore(serverKeys))
    }

    /// A new client on the same server (a reboot or a wake-up), optionally resuming.
    mutating func replaceClient(_ credentials: PreSharedKey = DTLSWire.psk, configuration: DTLSConfiguration = DTLSConfiguration(),
                                resuming: DTLSSavedSession?) throws {
        client = try DTLSSession(client: credentials, configuration: configuration, resuming: resuming)
    }

    mutating func fromClient(_ datagrams: [[UInt8]]) {
        for d in datagrams {
            log.append((true, d))
            defer { sentToServer += 1 }
            if !drop(true, sentToServer, d) { toServer.append(d) }
        }
    }

    mutating func fromServer(_ datagrams: [Datagram]) {
        for d in datagrams where d.peer == Self.clientAddress {
            log.append((false, d.bytes))
            defer { sentToClient += 1 }
            if !drop(false, sentToClient, d.bytes) { toClient.append(d.bytes) }
        }
    }

    /// Delivers until both queues are empty (at most `limit` datagrams), at the current time.
    mutating func deliver(limit: Int = 200) {
        var steps = 0
        while steps < limit, !toServer.isEmpty || !toClient.isEmpty {
            steps += 1
            if !toServer.isEmpty {
                let d = toServer.removeFirst()
                let (send, plain) = server.receive(Datagram(d, peer: Self.clientAddress), now: now)
                serverPlaintext += plain.map(\.bytes)
                fromServer(send)
            }
            if !toClient.isEmpty {
                let d = toClient.removeFirst()
                let out = client.receive(d, now: now)
                clientPlaintext += out.plaintext
                fromClient(out.datagrams)
            }
        }
    }

    mutating func handshake() {
        fromClient(client.start(now: now))
        deliver()
    }

    /// Moves the clock to `t`, running both sides' timers on the way, delivering after each.
    mutating func advance(to t: Instant) {
        while let due = Instant.earliest(client.nextDeadline, server.nextDeadline), due <= t {
            now = max(now, due)
            fromClient(client.advance(to: now))
            fromServer(server.advance(to: now))
            deliver()
        }
        now = max(now, t)
    }

    mutating func clientSends(_ text: String) {
        fromClient(client.send(Array(text.utf8), now: now))
        deliver()
    }

    mutating func serverSends(_ text: String) {
        fromServer(server.send(Array(text.utf8), to: Self.clientAddress, now: now))
        deliver()
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs anywhere in these bytes.
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}

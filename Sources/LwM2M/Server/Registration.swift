import CoAP

/// One client's registration as the server keeps it (LwM2M 1.0 §5.3): what the Register
/// (and later Updates) said, where the client was last heard from, and when it lapses.
public struct Registration: Hashable, Sendable, CustomStringConvertible {
    /// The directory's id: the client reaches this registration at `/rd/<id>`.
    public var id: String
    public var endpoint: String
    /// Seconds; the registration lapses this long after the last Register or Update.
    public var lifetime: UInt32
    public var lwm2mVersion: String
    /// Binding mode, `U` or `UQ` (queue mode) in LwM2M 1.0.
    public var binding: String
    public var smsNumber: String?
    /// The link-format payload of the last Register or Update that carried one.
    public var objectLinks: String
    public var peer: PeerAddress
    public var registeredAt: Instant
    public var lastHeardAt: Instant

    public var locationPath: [String] { ["rd", id] }
    public var expiresAt: Instant { lastHeardAt + Int64(lifetime) * 1000 }
    /// Queue mode: the client sleeps between its Updates; requests wait until it is heard.
    public var isQueueMode: Bool { binding.contains("Q") }

    public var description: String {
        "\(endpoint) at /rd/\(id) lt=\(lifetime) b=\(binding) from \(peer)"
    }
}

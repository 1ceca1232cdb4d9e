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
    /// The links of the last Register or Update that carried them (`</>;rt="oma.lwm2m"`,
    /// `</1/0>`, `</3/0>`...).
    public var objectLinks: [Link]
    public var peer: PeerAddress
    public var registeredAt: Instant
    public var lastHeardAt: Instant

    public var locationPath: [String] { ["rd", id] }
    public var expiresAt: Instant { lastHeardAt + Int64(lifetime) * 1000 }
    /// Queue mode: the client sleeps between its Updates; requests wait until it is heard.
    public var isQueueMode: Bool { binding.contains("Q") }

    /// The object instances (and instance-less objects) the client announced, in its order;
    /// the root-path link (`rt="oma.lwm2m"`) and anything outside the model are left out.
    public var objectPaths: [LwM2MPath] {
        let root = objectLinks.first { $0[attribute: "rt"] == "oma.lwm2m" }?.target ?? "/"
        let prefix = root == "/" ? "" : root
        return objectLinks.compactMap { link in
            guard link[attribute: "rt"] != "oma.lwm2m", link.target.hasPrefix(prefix) else { return nil }
            let path = LwM2MPath(String(link.target.dropFirst(prefix.count)))
            return path?.isRoot == false ? path : nil
        }
    }

    public var description: String {
        "\(endpoint) at /rd/\(id) lt=\(lifetime) b=\(binding) from \(peer)"
    }
}

import CoAP

/// What an LwM2M client needs before it starts: who it is, where its servers are, and the
/// knobs of its registration and reporting behaviour.
public struct ClientConfiguration: Sendable {
    public var endpoint: String
    /// The LwM2M server to register with; nil when it is to come from bootstrap.
    public var server: PeerAddress?
    /// The bootstrap server; used when `server` is nil (or when `bootstrapFirst` is set).
    public var bootstrapServer: PeerAddress?
    public var bootstrapFirst: Bool
    /// Seconds. The Server object's lifetime (`/1/x/1`), when present, takes over after bootstrap.
    public var lifetime: UInt32
    /// `U` or `UQ` (queue mode).
    public var binding: String
    public var lwm2mVersion: String
    /// When the next Update goes out after a Register or Update.
    public var updateInterval: UpdateIntervalRule
    /// Queue mode: how long the client stays reachable after each Register/Update before it
    /// sleeps (LwM2M 1.1 §6.5 suggests MAX_TRANSMIT_WAIT, 93 s).
    public var awakeMilliseconds: Int64
    /// A notification that falls due while asleep wakes the client (an Update, then the
    /// notification) instead of waiting for the next scheduled wake.
    public var wakeForNotifications: Bool
    /// Notifications as CON (acknowledged) rather than NON.
    public var confirmableNotifications: Bool
    /// How long to wait for the bootstrap server's writes and Bootstrap-Finish.
    public var bootstrapTimeoutMilliseconds: Int64
    /// `</>;rt="oma.lwm2m"` first in the Register payload.
    public var rootTypeLink: Bool
    /// Read, Observe, Write and Execute on these objects are not answered from the tree: each is
    /// handed to the owner as `ClientEvent.heldForOwner` and answered with `answer(...)` (a
    /// module whose terminal answers the server). Discover, Write-Attributes, Create and Delete,
    /// and every other object, stay with the tree.
    public var ownerAnsweredObjects: Set<UInt16>
    /// The client sends an Update on its own when `updateInterval` runs out after each Register
    /// or Update. Off when the owner keeps that timer itself (the module's engine does).
    public var automaticUpdates: Bool
    /// In queue mode, the client sleeps `awakeMilliseconds` after each contact. Off when the
    /// owner decides when the device sleeps.
    public var sleepsInQueueMode: Bool
    /// Serve requests from any peer with the server's access, not only from the server
    /// registered with. For a bench or an interop run where a plain CoAP tool (libcoap's
    /// coap-client) reads and observes the objects; the module itself only serves its server,
    /// so this is off by default.
    public var servesAnyPeer: Bool
    /// The Observe relations the client serves: how many at most, how many recent message ids
    /// an RST or timeout may name, and how often a notification must go CON even when
    /// `confirmableNotifications` is off (RFC 7641 §4.5: at least once a day, so an observer
    /// that vanished is noticed and dropped).
    public var observe = ObserverList.Configuration()

    public init(endpoint: String, server: PeerAddress? = nil, bootstrapServer: PeerAddress? = nil,
                bootstrapFirst: Bool = false, lifetime: UInt32 = 86_400, binding: String = "U",
                lwm2mVersion: String = "1.0", updateInterval: UpdateIntervalRule = .bc260,
                awakeMilliseconds: Int64 = 93_000, wakeForNotifications: Bool = false,
                confirmableNotifications: Bool = false, bootstrapTimeoutMilliseconds: Int64 = 60_000,
                rootTypeLink: Bool = true, ownerAnsweredObjects: Set<UInt16> = [],
                automaticUpdates: Bool = true, sleepsInQueueMode: Bool = true, servesAnyPeer: Bool = false) {
        self.endpoint = endpoint
        self.server = server
        self.bootstrapServer = bootstrapServer
        self.bootstrapFirst = bootstrapFirst
        self.lifetime = lifetime
        self.binding = binding
        self.lwm2mVersion = lwm2mVersion
        self.updateInterval = updateInterval
        self.awakeMilliseconds = awakeMilliseconds
        self.wakeForNotifications = wakeForNotifications
        self.confirmableNotifications = confirmableNotifications
        self.bootstrapTimeoutMilliseconds = bootstrapTimeoutMilliseconds
        self.rootTypeLink = rootTypeLink
        self.ownerAnsweredObjects = ownerAnsweredObjects
        self.automaticUpdates = automaticUpdates
        self.sleepsInQueueMode = sleepsInQueueMode
        self.servesAnyPeer = servesAnyPeer
    }

    public var isQueueMode: Bool { binding.contains("Q") }
}

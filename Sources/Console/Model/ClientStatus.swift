import ATProtocol
import CoAP
import ModuleCore

/// What the lines say about the module's LwM2M client: status, server configuration,
/// optional settings, the last result code and counters.
///
/// Contract: every field is nil (unknown) until a line tells it; nothing is guessed beyond
/// what a line states, except that `+QLAREG: 0` means registered and `+QLADEREG: 0`
/// deregistered (the note's 4.x examples), recorded with that source.
public struct ClientStatus: Hashable, Sendable {
    public struct Server: Hashable, Sendable {
        public var bootstrap: Bool
        public var host: String
        public var port: Int64
        public var endpoint: String
        public var lifetime: Int64
        public var securityMode: Int64
        public var pskIdentity: String?
        /// True when a PSK was given; the key itself is never kept.
        public var hasPSK: Bool
        public var binding: Int64?
    }

    public struct LastResult: Hashable, Sendable {
        /// `QLANOTIFY`, or the URC keyword (`ping`, `report_ack`).
        public var source: String
        public var code: Int64
        public var at: Instant

        public var meaning: String { ResultCode(rawValue: code)?.meaning ?? "unknown result code" }
    }

    public struct Counters: Hashable, Sendable {
        public var commandsSent = 0
        public var ok = 0
        public var errors = 0
        public var urcs = 0
        /// Uplinks that reached the server side: notifications and sends answered with result 0.
        public var uplinks = 0
        /// report_ack / send_ack with result 0.
        public var acknowledged = 0
        /// Result code 1 anywhere.
        public var timeouts = 0
    }

    public var lwm2m: LwM2MStatus?
    /// Where `lwm2m` came from: `AT+QLASTATUS?`, `+QLAREG: 0`.
    public var lwm2mSource: String?
    public var server: Server?
    /// The optional settings by AT+QLACFG key, as the lines gave them (`"retransmit"` → `2,5`).
    public var settings: [String: [ATValue]] = [:]
    public var lastResult: LastResult?
    public var counters = Counters()
    /// When the registration last succeeded or was updated: the base of the update countdown.
    public var lastRegistrationAt: Instant?
    public var asleep = false
    /// The link behind the console, in words (`emulator`, `/dev/ttyUSB0 115200 connected`).
    public var link: String = "not connected"

    public init() {}

    /// A setting's values as `2,5`, or nil when unknown.
    public func setting(_ key: QLACFGKey) -> String? {
        settings[key.rawValue].map { $0.map(\.formatted).joined(separator: ",") }
    }

    /// The `AT+QLACFG="platform"` value in words.
    public var platformName: String? {
        guard let value = settings[QLACFGKey.platform.rawValue]?.first?.integerValue else { return nil }
        return switch value {
        case 0: "CT IoT"
        case 1: "CT AEP"
        case 2: "CM Andlink"
        default: "platform \(value)"
        }
    }

    /// When the module sends its next automatic update, by the note's rule, if it is registered
    /// with a known lifetime and automatic updates are not switched off.
    public var nextUpdateAt: Instant? {
        guard lwm2m == .registered, let base = lastRegistrationAt, let lifetime = server?.lifetime else { return nil }
        if settings[QLACFGKey.lifetimeEnable.rawValue]?.first == .integer(0) { return nil }
        return base + UpdateInterval.milliseconds(forLifetime: lifetime)
    }
}

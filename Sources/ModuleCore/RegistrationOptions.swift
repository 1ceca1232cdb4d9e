import ATProtocol

/// The seven keys of AT+QLACFG, with the defaults NOTES.md takes.
public struct RegistrationOptions: Hashable, Sendable, Codable {
    /// `<platform>`: which of chapter 4's platforms the module talks to.
    public enum Platform: Int64, Hashable, Sendable, Codable, CaseIterable {
        case ctIoT = 0
        case ctAEP = 1
        case andlink = 2
    }

    /// A value set with `AT+QLACFG="cfg_res",<objectID>,<instanceID>,<resourceID>,<value>`.
    public struct ConfiguredResource: Hashable, Sendable, Codable {
        public var objectID: UInt16
        public var instanceID: UInt16
        public var resourceID: UInt16
        public var value: String

        public init(objectID: UInt16, instanceID: UInt16, resourceID: UInt16, value: String) {
            self.objectID = objectID
            self.instanceID = instanceID
            self.resourceID = resourceID
            self.value = value
        }
    }

    /// Seconds, 2...20.
    public var ackTimeout: Int64 = 2
    /// 0...8.
    public var maximumRetransmissions: Int64 = 5
    public var autoAcknowledgeObserve = false
    public var platform = Platform.ctIoT
    /// In the order first set; setting the same path again replaces the value in place.
    public var configuredResources: [ConfiguredResource] = []
    public var lifetimeEnable = true
    /// 0 full handshake, 1 session resumption.
    public var dtlsMode: Int64 = 0
    /// 0 DTLS 1.0, 1 DTLS 1.2, 2 negotiated.
    public var dtlsVersion: Int64 = 2

    public init() {}

    /// Why a decoded value is out of range, or nil.
    var problem: String? {
        if !(2...20).contains(ackTimeout) { return "ACK_timeout \(ackTimeout) is outside 2-20" }
        if !(0...8).contains(maximumRetransmissions) { return "retrans_max_times \(maximumRetransmissions) is outside 0-8" }
        if !(0...1).contains(dtlsMode) { return "dtls_mode \(dtlsMode) is not 0 or 1" }
        if !(0...2).contains(dtlsVersion) { return "dtls_version \(dtlsVersion) is not 0, 1 or 2" }
        return nil
    }

    /// The `+QLACFG: "<key>",...` values for one key; nil for `cfg_res`, which has one line per
    /// configured resource (see ``lines(for:)``).
    func lines(for key: QLACFGKey) -> [[ATValue]] {
        let word = ATValue.string(key.rawValue)
        switch key {
        case .retransmit: return [[word, .integer(ackTimeout), .integer(maximumRetransmissions)]]
        case .autoAck: return [[word, .integer(autoAcknowledgeObserve ? 1 : 0)]]
        case .platform: return [[word, .integer(platform.rawValue)]]
        case .cfgRes:
            return configuredResources.map {
                [word, .integer(Int64($0.objectID)), .integer(Int64($0.instanceID)), .integer(Int64($0.resourceID)), .string($0.value)]
            }
        case .lifetimeEnable: return [[word, .integer(lifetimeEnable ? 1 : 0)]]
        case .dtlsMode: return [[word, .integer(dtlsMode)]]
        case .dtlsVersion: return [[word, .integer(dtlsVersion)]]
        }
    }
}

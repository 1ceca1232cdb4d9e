extension ObjectDefinition {
    /// LwM2M Security (object 0, LwM2M 1.0 Appendix E.1). Its resources have no operations for a
    /// Device Management server: only a Bootstrap-Server (or the device itself) touches them.
    public static let security = ObjectDefinition(
        id: 0, name: "LwM2M Security", multipleInstances: true, mandatory: true,
        resources: [
            .init(id: 0, name: "LwM2M Server URI", operations: .none, mandatory: true, type: .string),
            .init(id: 1, name: "Bootstrap-Server", operations: .none, mandatory: true, type: .boolean),
            .init(id: 2, name: "Security Mode", operations: .none, mandatory: true, type: .integer),
            .init(id: 3, name: "Public Key or Identity", operations: .none, mandatory: true, type: .opaque),
            .init(id: 4, name: "Server Public Key", operations: .none, mandatory: true, type: .opaque),
            .init(id: 5, name: "Secret Key", operations: .none, mandatory: true, type: .opaque),
            .init(id: 6, name: "SMS Security Mode", operations: .none, type: .integer),
            .init(id: 7, name: "SMS Binding Key Parameters", operations: .none, type: .opaque),
            .init(id: 8, name: "SMS Binding Secret Key(s)", operations: .none, type: .opaque),
            .init(id: 9, name: "LwM2M Server SMS Number", operations: .none, type: .string),
            .init(id: 10, name: "Short Server ID", operations: .none, type: .integer),
            .init(id: 11, name: "Client Hold Off Time", operations: .none, type: .integer),
            .init(id: 12, name: "Bootstrap-Server Account Timeout", operations: .none, type: .integer),
        ])
}

/// Values of Security Mode (/0/x/2).
public enum SecurityMode: Int64, Hashable, Sendable {
    case preSharedKey = 0
    case rawPublicKey = 1
    case certificate = 2
    case noSecurity = 3
}

extension ObjectInstance {
    /// A Security instance for one server account. `psk` is the key's bytes; `pskIdentity` goes
    /// to Public Key or Identity as UTF-8, as PSK identities are text.
    public static func security(id: UInt16 = 0, serverURI: String, bootstrap: Bool = false,
                                mode: SecurityMode = .noSecurity, pskIdentity: String = "", psk: [UInt8] = [],
                                shortServerID: Int64 = 123, clientHoldOffTime: Int64 = 0) -> ObjectInstance {
        var resources: [Resource] = [
            .single(0, .string(serverURI)),
            .single(1, .boolean(bootstrap)),
            .single(2, .integer(mode.rawValue)),
            .single(3, .opaque(Array(pskIdentity.utf8))),
            .single(4, .opaque([])),
            .single(5, .opaque(psk)),
            .single(11, .integer(clientHoldOffTime)),
        ]
        if !bootstrap { resources.append(.single(10, .integer(shortServerID))) }
        return ObjectInstance(id: id, resources: resources)
    }
}

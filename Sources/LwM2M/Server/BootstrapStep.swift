import CoAP

/// One request the bootstrap server sends a client between its Bootstrap-Request and the
/// Bootstrap-Finish (LwM2M 1.0 §5.2.7): Write (PUT) or Delete on a path such as `/0`, `/1/0`,
/// or `/` (Delete all but the bootstrap account).
public enum BootstrapStep: Hashable, Sendable, CustomStringConvertible {
    case write(LwM2MPath, EncodedContent)
    case delete(LwM2MPath)

    func request(token: Token) -> Message {
        switch self {
        case .write(let path, let content):
            return .request(.put, token: token, path: path.segments, contentFormat: UInt32(content.format.rawValue),
                            payload: content.bytes)
        case .delete(let path):
            return .request(.delete, token: token, path: path.segments)
        }
    }

    public var description: String {
        switch self {
        case .write(let path, let content): "Write \(path) (\(content.format), \(content.bytes.count) B)"
        case .delete(let path): "Delete \(path)"
        }
    }
}

extension BootstrapStep {
    /// The usual bootstrap of one LwM2M server account: delete what `/0` and `/1` hold (the
    /// client keeps its bootstrap account), write Security instance `securityInstance` with the
    /// server's URI (and, for a `coaps://` one, security mode 0 with its PSK identity and key)
    /// and Server instance 0 with its lifetime and binding, both as TLV.
    public static func serverAccount(uri: String, shortServerID: Int64 = 123, lifetime: Int64 = 86_400,
                                     binding: String = "U", securityInstance: UInt16 = 1,
                                     defaultMinimumPeriod: Int64? = nil,
                                     defaultMaximumPeriod: Int64? = nil, securityMode: SecurityMode = .noSecurity,
                                     pskIdentity: String = "", psk: [UInt8] = []) -> [BootstrapStep] {
        let security = ObjectInstance.security(id: securityInstance, serverURI: uri, mode: securityMode,
                                               pskIdentity: pskIdentity, psk: psk, shortServerID: shortServerID)
        let server = ObjectInstance.server(id: 0, shortServerID: shortServerID, lifetime: lifetime,
                                           defaultMinimumPeriod: defaultMinimumPeriod,
                                           defaultMaximumPeriod: defaultMaximumPeriod, binding: binding)
        let securityPath = LwM2MPath(0, securityInstance)
        let serverPath = LwM2MPath(1, 0)
        return [
            .delete(LwM2MPath(0)), .delete(LwM2MPath(1)),
            .write(securityPath, EncodedContent(format: .tlv, bytes: TLV.encode(LwM2MNode.instance(security)))),
            .write(serverPath, EncodedContent(format: .tlv, bytes: TLV.encode(LwM2MNode.instance(server)))),
        ]
    }
}

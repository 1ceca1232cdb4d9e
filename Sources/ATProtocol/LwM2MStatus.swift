/// `<status>` of AT+QLASTATUS?: the LwM2M client's state.
public enum LwM2MStatus: Int64, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case unregistered = 0
    case registering = 1
    case registered = 2
    case deregistering = 3
    case deregistered = 4
    case invalid = 5
    case recoveringSession = 6
    case sessionNeedsRecovery = 7

    public var meaning: String {
        switch self {
        case .unregistered: "not registered"
        case .registering: "registering"
        case .registered: "registered"
        case .deregistering: "deregistering"
        case .deregistered: "deregistered"
        case .invalid: "invalid"
        case .recoveringSession: "recovering the LwM2M session"
        case .sessionNeedsRecovery: "the LwM2M session needs recovery"
        }
    }

    public var chineseTerm: String {
        switch self {
        case .unregistered: "未注册"
        case .registering: "注册中"
        case .registered: "已注册"
        case .deregistering: "注销中"
        case .deregistered: "已注销"
        case .invalid: "无效"
        case .recoveringSession: "正在恢复 LwM2M 会话"
        case .sessionNeedsRecovery: "需要恢复 LwM2M 会话"
        }
    }

    public var description: String { "\(rawValue) (\(meaning))" }
}

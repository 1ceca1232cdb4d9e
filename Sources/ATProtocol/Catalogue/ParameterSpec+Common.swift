/// Parameters several commands and URCs share, with the note's wording.
extension ParameterSpec {
    static let objectID = ParameterSpec("objectID", .integer(0...65535),
        meaning: "LwM2M object ID", chinese: "对象 ID")
    /// The note spells the instance parameter `instantID` in chapters 2 and 3 (`instanceID` only in
    /// AT+QLACFG); kept as written.
    static let instantID = ParameterSpec("instantID", .integer(0...65535),
        meaning: "LwM2M object instance ID", chinese: "实例 ID")
    static let instanceID = ParameterSpec("instanceID", .integer(0...65535),
        meaning: "LwM2M object instance ID", chinese: "实例 ID")
    static let resourceID = ParameterSpec("resourceID", .integer(0...65535),
        meaning: "LwM2M resource ID", chinese: "资源 ID")

    static func messageID(from urc: String?) -> ParameterSpec {
        ParameterSpec("messageID", .integer(0...65535),
                      meaning: urc.map { "CoAP message ID, from the URC +QLAURC: \"\($0)\"" } ?? "CoAP message ID",
                      chinese: "消息 ID")
    }

    static let lifetime = ParameterSpec("lifetime", .integer(20...31_536_000),
        meaning: "registration lifetime (up to 365 days); the update interval follows from it",
        chinese: "注册的生命周期", unit: "s")

    static let bindingMode = ParameterSpec("binding_mode", .choice([
        AllowedValue(0, "UDP", chinese: "UDP 模式"),
        AllowedValue(1, "UDP and queue mode", chinese: "UDP & Queue 模式"),
    ]), meaning: "transport binding of the LwM2M client", chinese: "传输绑定模式", default: .integer(0))

    static let raiMode = ParameterSpec("rai_mode", .choice([
        AllowedValue(0, "no release assistance indication", chinese: "无标记"),
        AllowedValue(1, "no further uplink or downlink data expected after this packet: the core network may release at once",
                     chinese: "该包上行数据后不期望有进一步的上行或下行数据，核心网可立即释放"),
        AllowedValue(2, "a single downlink reply is expected: the core network releases after it",
                     chinese: "该包上行数据后期望有对应的单个下行数据包回复，核心网在回复后立即释放"),
    ]), meaning: "release assistance indication (RAI) carried with the message, telling the core network how to release the RRC connection",
        chinese: "快速释放标记 RAI", default: .integer(0))

    static let ack = ParameterSpec("ACK", .choice([
        AllowedValue(0, "NON (non-confirmable) message", chinese: "NON 类型的数据"),
        AllowedValue(1, "CON (confirmable) message", chinese: "CON 类型的数据"),
    ]), meaning: "message type flag", chinese: "响应类型标记", default: .integer(0))

    static func valueType(_ allowed: [ATValueType]) -> ParameterSpec {
        ParameterSpec("value_type", .choice(allowed.map { AllowedValue($0.rawValue, $0.description, chinese: $0.chineseTerm) }),
                      meaning: "type of <value>", chinese: "<value>值的类型")
    }

    static let length = ParameterSpec("len", .integer(0...1024),
        meaning: "length of <value>: bytes of a string (0-1024), bytes of opaque data = hex digits / 2 (0-512), 2/4/8 for an integer, 4 for a float, 1 for a boolean",
        chinese: "<value>值的长度")

    static let value = ParameterSpec("value", .resourceValue,
        meaning: "the resource's data: a quoted string (type 1), quoted hex (type 2), a decimal integer (3), a decimal number (4), 0 or 1 (5)",
        chinese: "对应 LwM2M 协议支持的<resourceID>的数据")

    static let index = ParameterSpec("index", .integer(0...65535),
        meaning: "part index: a value in N parts is sent as N commands with index N-1 down to 0; 0 is the last (the note gives no maximum)",
        chinese: "<value>的索引号")

    static let resultCode = ParameterSpec("result_code", .choice(ResultCode.allCases.map {
        AllowedValue($0.rawValue, $0.meaning, chinese: $0.chineseTerm)
    }), meaning: "result code, see chapter 5", chinese: "结果码")

    static func requestResult(_ allowed: [RequestResult], operation: String, chinese: String) -> ParameterSpec {
        ParameterSpec("result", .choice(allowed.map {
            AllowedValue($0.rawValue, "\($0.coapCodeText) \($0.meaning)", chinese: $0.chineseTerm)
        }), meaning: "result of the \(operation), sent to the server as the CoAP code shown", chinese: chinese)
    }
}

extension ParameterSyntax {
    /// `<value_type>,<len>,<value>`.
    static func typedValue(_ allowed: [ATValueType]) -> [ParameterSyntax] {
        [.required(.valueType(allowed)), .required(.length), .required(.value)]
    }
}

extension ParameterRule {
    static func typedValue(_ allowed: [ATValueType]) -> ParameterRule {
        .valueMatchesLength(valueType: "value_type", length: "len", value: "value", allowed: Set(allowed))
    }
}

extension CommandSpec {
    /// 2.2 AT+QLACFG: optional registration parameters, one key at a time.
    static let qlacfg = CommandSpec(
        name: "AT+QLACFG",
        summary: "Configure optional registration parameters (retransmission, auto-ACK, platform, custom resource values, automatic update, DTLS)",
        chineseTitle: "配置可选注册参数", section: "2.2", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.query, syntax: "AT+QLACFG?", summary: "list every key, one line each",
                     responses: [
                        "+QLACFG: \"retransmit\",<ACK_timeout>,<retrans_max_times>",
                        "+QLACFG: \"auto_ack\",<is_auto_ACK>",
                        "+QLACFG: \"platform\",<platform>",
                        "+QLACFG: \"cfg_res\",<objectID>,<instanceID>,<resourceID>,<value>",
                        "+QLACFG: \"lifetime_enable\",<lifetime_enable>",
                        "+QLACFG: \"dtls_mode\",<DTLS_mode>",
                        "+QLACFG: \"dtls_version\",<DTLS_version>",
                     ]),
            FormSpec(.set, syntax: "AT+QLACFG=\"<key>\"[,<values>...]",
                     summary: "set a key's values; with the key alone, report that key",
                     parameters: [
                        .required(QLACFGKey.parameter),
                        .depending(on: "key", cases: QLACFGKey.allCases.map(\.dependentCase), otherwise: []),
                     ],
                     responses: ["+QLACFG: \"<key>\",<values> (when only the key is given)"]),
        ],
        remarks: [
            "Takes effect at once; saved, survives deep sleep.",
            "Andlink (platform 2) needs its product ID: AT+QLACFG=\"cfg_res\",3,0,17,<value>.",
            "dtls_mode and dtls_version answer ERROR unless the LwM2M status is unregistered (0) or deregistered (4).",
            "Retransmission: the n-th wait is ACK_timeout * 2^(n-1) seconds, up to retrans_max_times retransmissions.",
        ])
}

/// The seven keys of AT+QLACFG, each with its parameters.
public enum QLACFGKey: String, CaseIterable, Sendable {
    case retransmit
    case autoAck = "auto_ack"
    case platform
    case cfgRes = "cfg_res"
    case lifetimeEnable = "lifetime_enable"
    case dtlsMode = "dtls_mode"
    case dtlsVersion = "dtls_version"

    /// What setting the key does, in English and in the note's words.
    public var meaning: (english: String, chinese: String) {
        switch self {
        case .retransmit: ("response timeout and maximum retransmissions", "配置响应超时时间和最大重传次数")
        case .autoAck: ("whether the module answers a platform's observe by itself", "配置是否启动平台订阅时自动应答")
        case .platform: ("the IoT platform to connect to", "配置需要连接的目标 IoT 平台")
        case .cfgRes: ("the value of a resource of a built-in object", "配置定制化对象资源的值")
        case .lifetimeEnable: ("whether registration updates are sent automatically", "配置是否启用自动发送更新请求功能")
        case .dtlsMode: ("DTLS handshake used to resume the session after deep sleep", "配置从深休眠唤醒后模块恢复 LwM2M 会话时的 DTLS 握手模式")
        case .dtlsVersion: ("DTLS protocol version of the handshake", "配置 DTLS 握手时的协议版本号")
        }
    }

    /// The key's value parameters, in order.
    public var parameters: [ParameterSpec] {
        switch self {
        case .retransmit:
            [ParameterSpec("ACK_timeout", .integer(2...20),
                           meaning: "response timeout; the wait before the NT-th transmission's retry is ACK_timeout * 2^(NT-1)",
                           chinese: "响应超时时间", default: .integer(2), unit: "s"),
             ParameterSpec("retrans_max_times", .integer(0...8),
                           meaning: "maximum number of retransmissions", chinese: "最大重传次数", default: .integer(5))]
        case .autoAck:
            [ParameterSpec("is_auto_ACK", .choice([
                AllowedValue(0, "disabled", chinese: "禁止"), AllowedValue(1, "enabled", chinese: "启动"),
            ]), meaning: "answer a platform's observe automatically (the answer carries no value)",
                chinese: "启动/禁止平台订阅时自动应答", default: .integer(0))]
        case .platform:
            [ParameterSpec("platform", .choice([
                AllowedValue(0, "China Telecom IoT platform", chinese: "中国电信 IoT 平台"),
                AllowedValue(1, "China Telecom AEP platform", chinese: "中国电信 AEP 平台"),
                AllowedValue(2, "China Mobile Andlink platform", chinese: "中国移动 Andlink 平台"),
            ]), meaning: "target IoT platform", chinese: "要连接的目标物联网平台", default: .integer(0))]
        case .cfgRes:
            [.objectID, .instanceID, .resourceID,
             ParameterSpec("value", .string(maxLength: nil),
                           meaning: "the resource's value (e.g. the Andlink product ID at /3/0/17)",
                           chinese: "对应 LwM2M 协议支持的<resourceID>的数据")]
        case .lifetimeEnable:
            [ParameterSpec("lifetime_enable", .choice([
                AllowedValue(0, "disabled", chinese: "禁用"), AllowedValue(1, "enabled", chinese: "启用"),
            ]), meaning: "send registration updates automatically before the lifetime ends",
                chinese: "是否启用自动更新生命周期请求的功能", default: .integer(1))]
        case .dtlsMode:
            [ParameterSpec("DTLS_mode", .choice([
                AllowedValue(0, "full DTLS handshake", chinese: "使用 DTLS 完整流程握手"),
                AllowedValue(1, "DTLS session resumption", chinese: "使用 DTLS 会话恢复（Session Resumption）流程握手"),
            ]), meaning: "DTLS handshake used when the session is resumed after deep sleep",
                chinese: "从深休眠唤醒后模块恢复 LwM2M 会话时的 DTLS 握手模式", default: .integer(0))]
        case .dtlsVersion:
            [ParameterSpec("DTLS_version", .choice([
                AllowedValue(0, "DTLS 1.0", chinese: "使用 DTLS 1.0 版本握手"),
                AllowedValue(1, "DTLS 1.2", chinese: "使用 DTLS 1.2 版本握手"),
                AllowedValue(2, "negotiated with the server", chinese: "版本号通过握手与服务器协商"),
            ]), meaning: "DTLS version", chinese: "DTLS 版本号", default: .integer(2))]
        }
    }

    /// The `"key"` parameter itself.
    static let parameter = ParameterSpec("key", .keyword(QLACFGKey.allCases.map {
        AllowedValue(keyword: $0.rawValue, $0.meaning.english, chinese: $0.meaning.chinese)
    }), meaning: "which setting", chinese: nil)

    /// The key's values are all given or all left out (then the key is queried).
    var dependentCase: DependentCase {
        DependentCase(when: [.string(rawValue)], [.optional(parameters.map { .required($0) })],
                      explanation: "\"\(rawValue)\" takes \(parameters.map(\.placeholder).joined(separator: ","))")
    }
}

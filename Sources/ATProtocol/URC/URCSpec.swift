/// One unsolicited result code as chapter 3 of the note describes it.
public struct URCSpec: Hashable, Sendable {
    /// The information-line name: `QLAURC`, `QNBIOEVENT`.
    public let prefix: String
    /// The first, quoted field that names a `+QLAURC` kind (`"observe"`); nil for other URCs.
    public let keyword: String?
    /// The note's line, e.g. `+QLAURC: "report",<messageID>`.
    public let syntax: String
    /// The fields after the keyword, in order.
    public let fields: [ParameterSpec]
    /// Fields that may be absent at the end (`<URI_query>` of `read`).
    public let optionalTrailingFields: Int
    public let meaning: String
    /// The note's heading (服务器订阅请求通知), or nil.
    public let chineseTitle: String?
    public let section: String?
    /// The command the terminal answers it with, when it asks for an answer.
    public let answeredBy: String?

    init(_ prefix: String, _ keyword: String?, syntax: String, fields: [ParameterSpec] = [], optionalTrailingFields: Int = 0,
         meaning: String, chinese: String?, section: String?, answeredBy: String? = nil) {
        self.prefix = prefix
        self.keyword = keyword
        self.syntax = syntax
        self.fields = fields
        self.optionalTrailingFields = optionalTrailingFields
        self.meaning = meaning
        self.chineseTitle = chinese
        self.section = section
        self.answeredBy = answeredBy
    }

    private static let messageID = ParameterSpec.messageID(from: nil)
    private static let objectID = ParameterSpec("objectID", .integer(0...65535), meaning: "object ID", chinese: "对象 ID")
    private static let instantID = ParameterSpec("instantID", .integer(0...65535), meaning: "instance ID", chinese: "实例 ID")
    private static let resourceID = ParameterSpec("resourceID", .integer(0...65535), meaning: "resource ID", chinese: "资源 ID")

    /// Chapter 3's table 2, in its order, then `+QNBIOEVENT` and the power-up lines of the
    /// chapter 4 examples.
    public static let all: [URCSpec] = [
        URCSpec("QLAURC", "ping", syntax: "+QLAURC: \"ping\",<result_code>", fields: [.resultCode],
                meaning: "result of the periodic (lifetime) registration update", chinese: "生命周期更新结果通知", section: "3.1"),
        URCSpec("QLAURC", "observe", syntax: "+QLAURC: \"observe\",<messageID>,<flag>,<objectID>,<instantID>,<resourceID>",
                fields: [messageID,
                         ParameterSpec("flag", .choice([
                            AllowedValue(0, "observe", chinese: "订阅"), AllowedValue(1, "cancel the observation", chinese: "取消订阅"),
                         ]), meaning: "observe or cancel", chinese: "指示是否订阅"),
                         objectID, instantID, resourceID],
                meaning: "the server asks to observe a resource; answer with AT+QLAOBSRSP",
                chinese: "服务器订阅请求通知", section: "3.2", answeredBy: "AT+QLAOBSRSP"),
        URCSpec("QLAURC", "write",
                syntax: "+QLAURC: \"write\",<messageID>,<objectID>,<instantID>,<resourceID>,<value_type>,<len>,<value>,<index>",
                fields: [messageID, objectID, instantID, resourceID,
                         .valueType(ATValueType.allCases),
                         ParameterSpec("len", .integer(0...1024),
                                       meaning: "length of <value>: characters for a string, bytes (hex digits / 2) for opaque data",
                                       chinese: "<value>值的长度"),
                         ParameterSpec("value", .resourceValue, meaning: "the value the server wrote (hex for opaque data)",
                                       chinese: "从服务器接收的值（十六进制）"),
                         ParameterSpec("index", .integer(0...65535), meaning: "part index, N-1 down to 0; only 0 is used now",
                                       chinese: "写请求的索引号")],
                meaning: "the server writes a resource; answer with AT+QLAWRRSP",
                chinese: "服务器写请求通知", section: "3.3", answeredBy: "AT+QLAWRRSP"),
        URCSpec("QLAURC", "read", syntax: "+QLAURC: \"read\",<messageID>,<objectID>,<instantID>,<resourceID>[,<URI_query>]",
                fields: [messageID, objectID, instantID, resourceID,
                         ParameterSpec("URI_query", .string(maxLength: nil),
                                       meaning: "the request's query; when present, the answer must address it",
                                       chinese: "平台下发请求的标识")],
                optionalTrailingFields: 1,
                meaning: "the server reads a resource; answer with AT+QLARDRSP",
                chinese: "服务器读请求通知", section: "3.4", answeredBy: "AT+QLARDRSP"),
        URCSpec("QLAURC", "execute", syntax: "+QLAURC: \"execute\",<messageID>,<objectID>,<instantID>,<resourceID>",
                fields: [messageID, objectID, instantID, resourceID],
                meaning: "the server executes a resource; answer with AT+QLAEXERSP",
                chinese: "服务器执行请求通知", section: "3.5", answeredBy: "AT+QLAEXERSP"),
        URCSpec("QLAURC", "bs_finished", syntax: "+QLAURC: \"bs_finished\"",
                meaning: "the bootstrap phase is complete", chinese: "LwM2M 引导服务器引导阶段完成通知", section: "3.6"),
        URCSpec("QLAURC", "report", syntax: "+QLAURC: \"report\",<messageID>", fields: [messageID],
                meaning: "a CON notification (AT+QLANOTIFY with ACK 1) has been sent", chinese: "CON 类型数据已发送通知", section: "3.7"),
        URCSpec("QLAURC", "report_ack", syntax: "+QLAURC: \"report_ack\",<result_code>,<messageID>", fields: [.resultCode, messageID],
                meaning: "the server acknowledged a CON notification", chinese: "收到 CON 类型数据包应答的通知", section: "3.8"),
        URCSpec("QLAURC", "send_ack", syntax: "+QLAURC: \"send_ack\",<result_code>,<messageID>", fields: [.resultCode, messageID],
                meaning: "the server acknowledged CON data sent with AT+QLASENDDATA", chinese: "收到 CON 类型数据包应答的通知", section: "3.9"),
        URCSpec("QLAURC", "lifetime_changed", syntax: "+QLAURC: \"lifetime_changed\",<lifetime>", fields: [.lifetime],
                meaning: "the client's lifetime changed", chinese: "生命周期更改通知", section: "3.10"),
        URCSpec("QLAURC", "binding_changed", syntax: "+QLAURC: \"binding_changed\",<binding_mode>",
                fields: [ParameterSpec("binding_mode", .bareWord([
                    AllowedValue(bare: "U", "UDP", chinese: "UDP 模式"),
                    AllowedValue(bare: "UQ", "UDP and queue mode", chinese: "UDP & Queue 模式"),
                ]), meaning: "the new binding (printed bare, as in the Andlink example)", chinese: "传输绑定模式")],
                meaning: "the client's binding mode changed", chinese: "绑定模式更改通知", section: "3.11"),
        URCSpec("QLAURC", "recovered", syntax: "+QLAURC: \"recovered\",<result_code>", fields: [.resultCode],
                meaning: "result of resuming the session after waking from deep sleep", chinese: "LwM2M 会话恢复结果通知", section: "3.12"),
        URCSpec("QLAURC", "lw_event", syntax: "+QLAURC: \"lw_event\",<event_type>,<event_code>,<messageID>",
                fields: [ParameterSpec("event_type", .choice([
                            AllowedValue(0, "the platform answered RST", chinese: "收到平台下发的 RST 应答"),
                         ]), meaning: "event type (only 0 now)", chinese: "事件的类型"),
                         ParameterSpec("event_code", .choice([AllowedValue(5, "fixed")]),
                                       meaning: "information type (fixed at 5)", chinese: "信息类型"),
                         messageID],
                meaning: "another LwM2M event: the platform answered with RST", chinese: "LwM2M 其他事件通知", section: "3.13"),
        URCSpec("QNBIOEVENT", nil, syntax: "+QNBIOEVENT: \"ENTER DEEPSLEEP\" | \"EXIT DEEPSLEEP\"",
                fields: [ParameterSpec("event", .keyword([
                    AllowedValue(keyword: "ENTER DEEPSLEEP", "the module entered deep sleep", chinese: "模块成功进入深休眠"),
                    AllowedValue(keyword: "EXIT DEEPSLEEP", "the module woke from deep sleep", chinese: "唤醒模块"),
                ]), meaning: "deep-sleep event")],
                meaning: "the module entered or left deep sleep", chinese: nil, section: "4.2.2"),
    ]
}

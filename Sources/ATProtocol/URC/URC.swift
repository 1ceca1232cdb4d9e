/// An unsolicited line the module prints, typed: build one to print it (`line`), or read one
/// from a module's output (`init?(_:)`).
public enum URC: Hashable, Sendable {
    case ping(resultCode: Int64)
    /// `flag` 0 observe, 1 cancel.
    case observe(messageID: Int64, flag: Int64, objectID: Int64, instanceID: Int64, resourceID: Int64)
    /// Printed as the note shows it: type 2 hex, or type 1 with the text between quotes.
    case write(messageID: Int64, objectID: Int64, instanceID: Int64, resourceID: Int64,
               valueType: Int64, length: Int64, value: ATValue, index: Int64)
    case read(messageID: Int64, objectID: Int64, instanceID: Int64, resourceID: Int64, uriQuery: String?)
    case execute(messageID: Int64, objectID: Int64, instanceID: Int64, resourceID: Int64)
    case bootstrapFinished
    case report(messageID: Int64)
    case reportAck(resultCode: Int64, messageID: Int64)
    case sendAck(resultCode: Int64, messageID: Int64)
    case lifetimeChanged(lifetime: Int64)
    /// `U` or `UQ`, printed bare.
    case bindingChanged(String)
    case recovered(resultCode: Int64)
    case lwEvent(eventType: Int64, eventCode: Int64, messageID: Int64)
    /// `+QNBIOEVENT: "ENTER DEEPSLEEP"` (true) or `"EXIT DEEPSLEEP"` (false).
    case deepSleep(entered: Bool)

    /// A write URC for a decoded value (hex for opaque data, quoted text for a string).
    public static func write(messageID: Int64, objectID: Int64, instanceID: Int64, resourceID: Int64,
                             value: ATTypedValue, index: Int64 = 0) -> URC {
        .write(messageID: messageID, objectID: objectID, instanceID: instanceID, resourceID: resourceID,
               valueType: value.valueType.rawValue, length: Int64(value.length), value: value.atValue, index: index)
    }

    /// The `+QLAURC` keyword, or nil for `+QNBIOEVENT`.
    public var keyword: String? {
        switch self {
        case .ping: "ping"
        case .observe: "observe"
        case .write: "write"
        case .read: "read"
        case .execute: "execute"
        case .bootstrapFinished: "bs_finished"
        case .report: "report"
        case .reportAck: "report_ack"
        case .sendAck: "send_ack"
        case .lifetimeChanged: "lifetime_changed"
        case .bindingChanged: "binding_changed"
        case .recovered: "recovered"
        case .lwEvent: "lw_event"
        case .deepSleep: nil
        }
    }

    /// The URC's line, ready for ``ATResponseLine/framed``.
    public var line: ATResponseLine {
        guard let keyword else {
            guard case .deepSleep(let entered) = self else { return .text("") }
            return .information("QNBIOEVENT", .string(entered ? "ENTER DEEPSLEEP" : "EXIT DEEPSLEEP"))
        }
        let fields: [ATValue] = switch self {
        case .ping(let code), .recovered(let code): [.integer(code)]
        case .observe(let id, let flag, let object, let instance, let resource):
            [.integer(id), .integer(flag), .integer(object), .integer(instance), .integer(resource)]
        case .write(let id, let object, let instance, let resource, let type, let length, let value, let index):
            [.integer(id), .integer(object), .integer(instance), .integer(resource), .integer(type), .integer(length), value, .integer(index)]
        case .read(let id, let object, let instance, let resource, let query):
            [.integer(id), .integer(object), .integer(instance), .integer(resource)] + (query.map { [.string($0)] } ?? [])
        case .execute(let id, let object, let instance, let resource):
            [.integer(id), .integer(object), .integer(instance), .integer(resource)]
        case .bootstrapFinished, .deepSleep: []
        case .report(let id): [.integer(id)]
        case .reportAck(let code, let id), .sendAck(let code, let id): [.integer(code), .integer(id)]
        case .lifetimeChanged(let lifetime): [.integer(lifetime)]
        case .bindingChanged(let binding): [.token(binding)]
        case .lwEvent(let type, let code, let id): [.integer(type), .integer(code), .integer(id)]
        }
        return .information(name: "QLAURC", values: [.string(keyword)] + fields)
    }

    /// Reads a URC from a response line; nil when the line is not one of chapter 3's URCs or
    /// its fields do not have the URC's shape.
    public init?(_ line: ATResponseLine) {
        guard case .information(let name, let values) = line else { return nil }
        if name == "QNBIOEVENT" {
            switch values {
            case [.string("ENTER DEEPSLEEP")]: self = .deepSleep(entered: true)
            case [.string("EXIT DEEPSLEEP")]: self = .deepSleep(entered: false)
            default: return nil
            }
            return
        }
        guard name == "QLAURC", case .string(let keyword)? = values.first else { return nil }
        let fields = Array(values.dropFirst())
        let n = fields.map(\.integerValue)
        func ints(_ count: Int) -> [Int64]? {
            guard fields.count >= count else { return nil }
            let prefix = n.prefix(count).compactMap { $0 }
            return prefix.count == count ? prefix : nil
        }
        switch (keyword, fields.count) {
        case ("ping", 1): guard let i = ints(1) else { return nil }; self = .ping(resultCode: i[0])
        case ("recovered", 1): guard let i = ints(1) else { return nil }; self = .recovered(resultCode: i[0])
        case ("observe", 5):
            guard let i = ints(5) else { return nil }
            self = .observe(messageID: i[0], flag: i[1], objectID: i[2], instanceID: i[3], resourceID: i[4])
        case ("write", 8):
            guard let i = ints(6), let index = n[7] else { return nil }
            self = .write(messageID: i[0], objectID: i[1], instanceID: i[2], resourceID: i[3],
                          valueType: i[4], length: i[5], value: fields[6], index: index)
        case ("read", 4), ("read", 5):
            guard let i = ints(4) else { return nil }
            var query: String?
            if fields.count == 5 {
                guard case .string(let text) = fields[4] else { return nil }
                query = text
            }
            self = .read(messageID: i[0], objectID: i[1], instanceID: i[2], resourceID: i[3], uriQuery: query)
        case ("execute", 4):
            guard let i = ints(4) else { return nil }
            self = .execute(messageID: i[0], objectID: i[1], instanceID: i[2], resourceID: i[3])
        case ("bs_finished", 0): self = .bootstrapFinished
        case ("report", 1): guard let i = ints(1) else { return nil }; self = .report(messageID: i[0])
        case ("report_ack", 2): guard let i = ints(2) else { return nil }; self = .reportAck(resultCode: i[0], messageID: i[1])
        case ("send_ack", 2): guard let i = ints(2) else { return nil }; self = .sendAck(resultCode: i[0], messageID: i[1])
        case ("lifetime_changed", 1): guard let i = ints(1) else { return nil }; self = .lifetimeChanged(lifetime: i[0])
        case ("binding_changed", 1):
            switch fields[0] {
            case .token(let binding), .string(let binding): self = .bindingChanged(binding)
            default: return nil
            }
        case ("lw_event", 3):
            guard let i = ints(3) else { return nil }
            self = .lwEvent(eventType: i[0], eventCode: i[1], messageID: i[2])
        default: return nil
        }
    }
}

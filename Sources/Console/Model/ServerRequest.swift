import ATProtocol
import CoAP

/// A read, write, execute or observe the server sent, announced by a `+QLAURC` line and waiting
/// for the terminal's answer (AT+QLARDRSP, AT+QLAWRRSP, AT+QLAEXERSP, AT+QLAOBSRSP).
public struct ServerRequest: Hashable, Sendable {
    public enum Operation: String, Hashable, Sendable {
        case read, write, execute, observe
        /// An observe URC with flag 1: the server cancels; it is answered like an observe.
        case cancelObserve = "cancel observe"

        /// The command word that answers it.
        public var answerCommand: String {
            switch self {
            case .read: "AT+QLARDRSP"
            case .write: "AT+QLAWRRSP"
            case .execute: "AT+QLAEXERSP"
            case .observe, .cancelObserve: "AT+QLAOBSRSP"
            }
        }
    }

    public let messageID: Int64
    public let operation: Operation
    /// The path as the URC gives it; -1 stands for "the whole object/instance".
    public let objectID: Int64
    public let instanceID: Int64
    public let resourceID: Int64
    /// What a write URC carried (value type, value), when it is a write.
    public let writtenValue: ResourceReading?
    public let uriQuery: String?
    public let announcedAt: Instant

    public init(messageID: Int64, operation: Operation, objectID: Int64, instanceID: Int64, resourceID: Int64,
                writtenValue: ResourceReading? = nil, uriQuery: String? = nil, announcedAt: Instant) {
        self.messageID = messageID
        self.operation = operation
        self.objectID = objectID
        self.instanceID = instanceID
        self.resourceID = resourceID
        self.writtenValue = writtenValue
        self.uriQuery = uriQuery
        self.announcedAt = announcedAt
    }

    /// `/19/0/0`, or shorter for an object or instance request.
    public var path: String {
        "/" + [objectID, instanceID, resourceID].prefix { $0 >= 0 }.map(String.init).joined(separator: "/")
    }

    /// The request a URC announces, or nil for URCs that ask nothing.
    public init?(_ urc: URC, at now: Instant) {
        switch urc {
        case .read(let id, let o, let i, let r, let query):
            self.init(messageID: id, operation: .read, objectID: o, instanceID: i, resourceID: r, uriQuery: query, announcedAt: now)
        case .write(let id, let o, let i, let r, let type, _, let value, _):
            self.init(messageID: id, operation: .write, objectID: o, instanceID: i, resourceID: r,
                      writtenValue: ResourceReading(valueType: type, value: value), announcedAt: now)
        case .execute(let id, let o, let i, let r):
            self.init(messageID: id, operation: .execute, objectID: o, instanceID: i, resourceID: r, announcedAt: now)
        case .observe(let id, let flag, let o, let i, let r):
            self.init(messageID: id, operation: flag == 1 ? .cancelObserve : .observe, objectID: o, instanceID: i,
                      resourceID: r, announcedAt: now)
        default:
            return nil
        }
    }

    /// The command that answers this request with success, message id filled in. A read or
    /// observe carries `known`, the resource's last value, when there is one, else an empty
    /// string (`1,0,""`) for the person to replace.
    public func suggestedAnswer(knownValue known: ResourceReading? = nil) -> String {
        switch operation {
        case .write, .execute:
            return "\(operation.answerCommand)=\(messageID),\(RequestResult.changed.rawValue)"
        case .read, .observe, .cancelObserve:
            let value = known ?? ResourceReading(valueType: ATValueType.string.rawValue, value: .string(""))
            return "\(operation.answerCommand)=\(messageID),\(RequestResult.content.rawValue),\(objectID),\(instanceID),"
                + "\(max(resourceID, 0)),\(value.valueType),\(value.lengthField),\(value.value.formatted),0"
        }
    }
}

import CoAP

/// A Device Management & Service Enablement (or Information Reporting) request a server sends
/// to a registered client (LwM2M 1.0 §5.4, §5.5), and the CoAP request each one becomes.
public enum DeviceOperation: Hashable, Sendable, CustomStringConvertible {
    case read(LwM2MPath, accept: ContentFormat? = nil)
    /// GET with Accept: link-format (40).
    case discover(LwM2MPath)
    /// PUT replaces, POST updates partially.
    case write(LwM2MPath, EncodedContent, mode: WriteMode = .replace)
    /// PUT with the attributes in Uri-Query (`pmin=10`; a bare `pmin` resets it).
    case writeAttributes(LwM2MPath, query: [String])
    /// POST with optional text arguments (`0='a',1`).
    case execute(LwM2MPath, arguments: String? = nil)
    /// POST on an object; the client picks the instance id unless the payload names it.
    case create(objectID: UInt16, EncodedContent)
    case delete(LwM2MPath)
    /// GET with Observe 0.
    case observe(LwM2MPath, accept: ContentFormat? = nil)
    /// GET with Observe 1 on an observed path, with the observation's token (RFC 7641 §3.6).
    case cancelObservation(LwM2MPath, accept: ContentFormat? = nil)

    public var path: LwM2MPath {
        switch self {
        case .read(let p, _), .discover(let p), .write(let p, _, _), .writeAttributes(let p, _),
             .execute(let p, _), .delete(let p), .observe(let p, _), .cancelObservation(let p, _): p
        case .create(let o, _): LwM2MPath(o)
        }
    }

    /// The request, confirmable, with message id 0 for the exchange beneath to assign.
    public func request(token: Token) -> Message {
        let segments = path.segments
        switch self {
        case .read(_, let accept):
            var m = Message.request(.get, token: token, path: segments)
            if let accept { m.accept = UInt32(accept.rawValue) }
            return m
        case .discover:
            var m = Message.request(.get, token: token, path: segments)
            m.accept = UInt32(ContentFormat.linkFormat.rawValue)
            return m
        case .write(_, let content, let mode):
            return .request(mode == .replace ? .put : .post, token: token, path: segments,
                            contentFormat: UInt32(content.format.rawValue), payload: content.bytes)
        case .writeAttributes(_, let query):
            return .request(.put, token: token, path: segments, query: query)
        case .execute(_, let arguments):
            let payload = arguments.map { Array($0.utf8) } ?? []
            return .request(.post, token: token, path: segments,
                            contentFormat: payload.isEmpty ? nil : UInt32(ContentFormat.textPlain.rawValue),
                            payload: payload)
        case .create(_, let content):
            return .request(.post, token: token, path: segments,
                            contentFormat: UInt32(content.format.rawValue), payload: content.bytes)
        case .delete:
            return .request(.delete, token: token, path: segments)
        case .observe(_, let accept), .cancelObservation(_, let accept):
            var m = Message.request(.get, token: token, path: segments)
            if case .observe = self { m.observe = 0 } else { m.observe = 1 }
            if let accept { m.accept = UInt32(accept.rawValue) }
            return m
        }
    }

    public var description: String {
        switch self {
        case .read(let p, _): "Read \(p)"
        case .discover(let p): "Discover \(p)"
        case .write(let p, _, let mode): mode == .replace ? "Write \(p)" : "Write (partial) \(p)"
        case .writeAttributes(let p, let q): "Write-Attributes \(p)?\(q.joined(separator: "&"))"
        case .execute(let p, _): "Execute \(p)"
        case .create(let o, _): "Create /\(o)"
        case .delete(let p): "Delete \(p)"
        case .observe(let p, _): "Observe \(p)"
        case .cancelObservation(let p, _): "Cancel observation \(p)"
        }
    }
}

/// What a client answered: the code, the content if any (with its format), and for Create
/// the Location-Path of the new instance.
public struct OperationResponse: Hashable, Sendable {
    public var code: Code
    public var content: EncodedContent?
    public var locationPath: [String]
    /// The Observe sequence number, on an Observe response or a notification.
    public var observe: UInt32?

    public init(code: Code, content: EncodedContent? = nil, locationPath: [String] = [], observe: UInt32? = nil) {
        self.code = code
        self.content = content
        self.locationPath = locationPath
        self.observe = observe
    }

    init(_ m: Message) {
        let format = m.contentFormat.flatMap(ContentFormat.init(coapValue:))
        let content: EncodedContent? = m.payload.isEmpty && format == nil
            ? nil : EncodedContent(format: format ?? .textPlain, bytes: m.payload)
        self.init(code: m.code, content: content, locationPath: m.locationPath, observe: m.observe)
    }
}

import CoAP

extension Message {
    /// A request with its path split into Uri-Path options and its query into Uri-Query ones.
    /// The message id is left 0: the CoAP exchange beneath assigns it.
    static func request(_ code: Code, confirmable: Bool = true, token: Token, path: [String],
                        query: [String] = [], contentFormat: UInt32? = nil,
                        payload: [UInt8] = []) -> Message {
        var m = Message(type: confirmable ? .confirmable : .nonConfirmable, code: code, token: token)
        m.uriPath = path
        m.uriQuery = query
        if let contentFormat { m.contentFormat = contentFormat }
        m.payload = payload
        return m
    }

    /// The response to `request`: same token and message id, piggybacked (ACK) when the request
    /// was confirmable, NON otherwise. The exchange beneath may still send it separately.
    static func response(to request: Message, _ code: Code, contentFormat: UInt32? = nil,
                         payload: [UInt8] = []) -> Message {
        var m = Message(type: request.type == .confirmable ? .acknowledgement : .nonConfirmable,
                        code: code, messageID: request.messageID, token: request.token)
        if let contentFormat { m.contentFormat = contentFormat }
        m.payload = payload
        return m
    }

    /// Uri-Query items looked up by name (a bare name has a nil value); the first of a
    /// repeated name wins.
    var queryParameters: QueryParameters { QueryParameters(uriQuery) }
}

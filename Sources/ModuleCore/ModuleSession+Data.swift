import ATProtocol
import CoAP
import LwM2M

extension ModuleSession {
    /// The TE's (or the module's own) answer to a server request: the result's CoAP code, with
    /// the value parts encoded at the path the server named.
    mutating func respond(_ response: ServerResponse, id: SessionRequestID, now: Instant) -> [Datagram] {
        guard let held = waits.held.removeValue(forKey: response.messageID), node != nil else {
            diagnostics.append("answer to \(response.messageID): no such request is waiting in the session")
            events.append(.outcome(id, .completed(.notSent)))
            return []
        }
        let content = response.result.code.isSuccess
            ? ValueContent.encode(response.parts, at: held.path, accept: held.accept) : nil
        if held.operation == .observe, response.result == .content, let accept = held.accept {
            waits.observeAccept[held.path] = accept
        }
        waits.responses[response.messageID] = id
        let datagrams = command(now: now) {
            $0.answer(heldRequest: response.messageID, code: response.result.code, content: content, now: now)
        }
        if waits.responses.removeValue(forKey: response.messageID) != nil {
            // The client held nothing under that id any more: nothing went out.
            events.append(.outcome(id, .completed(.notSent)))
        }
        return datagrams
    }

    /// AT+QLANOTIFY: the TE's value on the observation of `observedPath`, NON or CON.
    mutating func notify(_ notification: Notification, id: SessionRequestID, now: Instant) -> [Datagram] {
        let path = notification.observedPath
        guard let content = ValueContent.encode(notification.parts, at: path, accept: waits.observeAccept[path]) else {
            events.append(.outcome(id, .completed(.otherError)))
            return []
        }
        // In place (`node?.`), as in `collect(now:)`: no copy of the endpoint's storage.
        let confirmable = notification.confirmable
        guard let (tokens, datagrams) = node?.command(now: now, { client in
            client.notify(path, content: content, confirmable: confirmable, now: now)
        }) else {
            events.append(.outcome(id, .completed(.notSent)))
            return []
        }
        guard let token = tokens.first else {
            diagnostics.append("notify \(path): the session has no observation there")
            events.append(.outcome(id, .completed(.notSent)))
            collect(now: now)
            return datagrams
        }
        if notification.confirmable {
            waits.notificationsSending[token] = id
        }
        collect(now: now)
        if !notification.confirmable { events.append(.outcome(id, .completed(.success))) }
        return datagrams
    }

    /// AT+QLASENDDATA: `POST /dp?ep=<endpoint>` carrying the TE's bytes unchanged, as the
    /// chip's SDK sends it (content format 11543).
    mutating func send(_ data: DataSend, id: SessionRequestID, now: Instant) -> [Datagram] {
        let content = EncodedContent(format: .lwm2mJSON, bytes: data.bytes)
        guard node != nil, let endpoint = configuration?.server.endpoint,
              let (token, datagrams) = node?.command(now: now, { client in
                  client.send(content: content, query: ["ep=\(endpoint)"], confirmable: data.confirmable, now: now)
              }) else {
            events.append(.outcome(id, .completed(.notSent)))
            return []
        }
        guard let token else {
            events.append(.outcome(id, .completed(.notSent)))
            collect(now: now)
            return datagrams
        }
        waits.sends[token] = (id, data.confirmable, nil)
        collect(now: now)
        return datagrams
    }
}

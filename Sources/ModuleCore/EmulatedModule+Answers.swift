import ATProtocol
import CoAP
import LwM2M

extension EmulatedModule {
    /// The pending request an answer command names, when it is pending and of `operation`;
    /// otherwise the command is rejected with the reason and nil returned.
    private mutating func pendingRequest(answeredBy command: ValidatedCommand,
                                         operation: ServerOperation) -> (UInt16, PendingServerRequest)? {
        let name = command.responseName
        guard let messageID = command.integer("messageID").flatMap(UInt16.init(exactly:)),
              let pending = pendingServerRequests[messageID] else {
            reject("AT+\(name): message id \(command.integer("messageID") ?? -1) is not pending (never announced, or answered already)")
            return nil
        }
        guard pending.request.operation == operation else {
            reject("AT+\(name): message id \(messageID) is a \(pending.request.operation), not a \(operation)")
            return nil
        }
        return (messageID, pending)
    }

    // MARK: AT+QLARDRSP, AT+QLAOBSRSP

    /// Answers a read or observe, in one part or in N parts with `<index>` N-1 down to 0; the
    /// session gets the answer when index 0 arrives.
    mutating func answerWithValue(_ command: ValidatedCommand) {
        let operation: ServerOperation = command.spec.name == "AT+QLARDRSP" ? .read : .observe
        let name = command.responseName
        guard let (messageID, found) = pendingRequest(answeredBy: command, operation: operation) else { return }
        var pending = found
        guard let path = resourcePath(command, idNames: ("objectID", "instantID", "resourceID")),
              pending.request.path.isPrefix(of: path) else {
            return reject("AT+\(name): the path is not within \(pending.request.path), the one the server asked for")
        }
        guard let value = command.typedValue,
              let result = command.integer("result").flatMap(RequestResult.init(rawValue:)),
              let index = command.integer("index") else {
            return reject("AT+\(name): parameters do not read")
        }
        let part = ValuePart(path: path, value: value)
        let step: PartAssembly.Step
        if let assembly = pending.answer {
            guard pending.answerResult == result else {
                return reject("AT+\(name): <result> \(result.rawValue) differs from the earlier parts' \(pending.answerResult?.rawValue ?? 0)")
            }
            guard let next = assembly.adding(part, index: index) else {
                return reject("AT+\(name): <index> \(index) out of order; \(assembly.expectedIndex) expected")
            }
            step = next
        } else {
            step = PartAssembly.begin(part, index: index)
        }
        switch step {
        case .needMore(let assembly):
            pending.answer = assembly
            pending.answerResult = result
            pendingServerRequests[messageID] = pending
            emit(.ok)
        case .complete(let parts):
            pendingServerRequests[messageID] = nil
            if case .observe(_, let observed, let cancel) = pending.request, result == .content {
                if cancel { observations.remove(observed) } else { observations.insert(observed) }
            }
            emit(.ok)
            let rai = ReleaseAssistance(rawValue: command.integer("rai_mode") ?? 0) ?? .none
            issue(.respond(ServerResponse(messageID: messageID, operation: operation, path: pending.request.path,
                                          result: result, parts: parts, rai: rai)),
                  as: .respond(responseName: name))
        }
    }

    // MARK: AT+QLAWRRSP, AT+QLAEXERSP

    mutating func answerWithoutValue(_ command: ValidatedCommand) {
        let operation: ServerOperation = command.spec.name == "AT+QLAWRRSP" ? .write : .execute
        let name = command.responseName
        guard let (messageID, pending) = pendingRequest(answeredBy: command, operation: operation) else { return }
        guard let result = command.integer("result").flatMap(RequestResult.init(rawValue:)) else {
            return reject("AT+\(name): parameters do not read")
        }
        pendingServerRequests[messageID] = nil
        emit(.ok)
        let rai = ReleaseAssistance(rawValue: command.integer("rai_mode") ?? 0) ?? .none
        issue(.respond(ServerResponse(messageID: messageID, operation: operation, path: pending.request.path,
                                      result: result, rai: rai)),
              as: .respond(responseName: name))
    }

    // MARK: AT+QLANOTIFY

    mutating func qlanotify(_ command: ValidatedCommand) {
        guard status == .registered else { return reject("AT+QLANOTIFY: not registered (status \(status))") }
        guard let path = resourcePath(command, idNames: ("objectID", "instantID", "resourceID")) else {
            return reject("AT+QLANOTIFY: parameters do not read")
        }
        guard let observed = observations.filter({ $0.isPrefix(of: path) }).max(by: { $0.ids.count < $1.ids.count }) else {
            return reject("AT+QLANOTIFY: \(path) is not observed")
        }
        guard let value = command.typedValue, let index = command.integer("index") else {
            return reject("AT+QLANOTIFY: parameters do not read")
        }
        let part = ValuePart(path: path, value: value)
        let step: PartAssembly.Step
        if let assembly = notifyAssembly {
            guard assembly.observedPath == observed else {
                return reject("AT+QLANOTIFY: a notification of \(assembly.observedPath) is half sent; \(assembly.parts.expectedIndex) expected")
            }
            guard let next = assembly.parts.adding(part, index: index) else {
                return reject("AT+QLANOTIFY: <index> \(index) out of order; \(assembly.parts.expectedIndex) expected")
            }
            step = next
        } else {
            step = PartAssembly.begin(part, index: index)
        }
        switch step {
        case .needMore(let parts):
            notifyAssembly = NotifyAssembly(observedPath: observed, parts: parts)
            emit(.ok)
        case .complete(let parts):
            notifyAssembly = nil
            emit(.ok)
            let confirmable = command.integer("ACK") == 1
            let rai = ReleaseAssistance(rawValue: command.integer("rai_mode") ?? 0) ?? .none
            issue(.notify(Notification(observedPath: observed, parts: parts, confirmable: confirmable, rai: rai)),
                  as: .notify(confirmable: confirmable))
        }
    }

    // MARK: AT+QLASENDDATA

    mutating func qlasenddata(_ command: ValidatedCommand) {
        let name = command.responseName
        guard saved.options.platform == .andlink else {
            return reject("AT+\(name): only for the Andlink platform (AT+QLACFG=\"platform\",2)")
        }
        guard status == .registered else { return reject("AT+\(name): not registered (status \(status))") }
        guard let payload = command.typedValue else { return reject("AT+\(name): parameters do not read") }
        let confirmable = command.integer("ACK") == 1
        let rai = ReleaseAssistance(rawValue: command.integer("rai_mode") ?? 0) ?? .none
        emit(.ok)
        issue(.send(DataSend(payload: payload, confirmable: confirmable, rai: rai)),
              as: .send(responseName: name, confirmable: confirmable))
    }

    /// `/<objectID>/<instantID>/<resourceID>` from a command; nil when an id does not fit a path
    /// (65535 is reserved).
    func resourcePath(_ command: ValidatedCommand, idNames: (String, String, String)) -> LwM2MPath? {
        guard let o = command.integer(idNames.0).flatMap(UInt16.init(exactly:)),
              let i = command.integer(idNames.1).flatMap(UInt16.init(exactly:)),
              let r = command.integer(idNames.2).flatMap(UInt16.init(exactly:)) else { return nil }
        return LwM2MPath(ids: [o, i, r])
    }
}

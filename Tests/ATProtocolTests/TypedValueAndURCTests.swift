import Testing
@testable import ATProtocol

@Suite struct TypedValueTests {
    @Test func theNotesExamplesHoldTogether() throws {
        #expect(try ATTypedValue.decode(type: 2, length: 9, value: .string("020001000400023238"))
            == .opaque([0x02, 0x00, 0x01, 0x00, 0x04, 0x00, 0x02, 0x32, 0x38]))
        #expect(try ATTypedValue.decode(type: 2, length: 7, value: .string("5155454354454C")) == .opaque(Array("QUECTEL".utf8)))
        #expect(try ATTypedValue.decode(type: 1, length: 5, value: .string("abcde")) == .string("abcde"))
        #expect(try ATTypedValue.decode(type: 1, length: 20, value: .string("{\"outletStatus\":\"1\"}")) == .string("{\"outletStatus\":\"1\"}"))
        let read = try ATTypedValue.decode(type: 2, length: 71, value: .string(NoteExamples.andlinkReadHex))
        #expect(read == .opaque(Array("{\"outletStatus\":\"1\",\"setTime\":\"1\",\"firmware\":\"1.0\",\"softVersion\":\"1.0\"}".utf8)))
        let send = try ATTypedValue.decode(type: 2, length: 112, value: .string(NoteExamples.andlinkSendHex))
        #expect(send.length == 112)
    }

    @Test func eachTypesLengthRule() throws {
        #expect(try ATTypedValue.decode(type: 1, length: 6, value: .string("中文")) == .string("中文"), "bytes, not characters")
        #expect(try ATTypedValue.decode(type: 1, length: 0, value: .string("")) == .string(""))
        #expect(try ATTypedValue.decode(type: 1, length: 1024, value: .string(String(repeating: "x", count: 1024))).length == 1024)
        #expect(throws: ValueMismatch.lengthOutOfRange(.string, length: 1025)) {
            try ATTypedValue.decode(type: 1, length: 1025, value: .string(String(repeating: "x", count: 1025)))
        }
        #expect(try ATTypedValue.decode(type: 2, length: 2, value: .string("aBcD")) == .opaque([0xAB, 0xCD]))
        #expect(try ATTypedValue.decode(type: 2, length: 512, value: .string(String(repeating: "00", count: 512))).length == 512)
        #expect(try ATTypedValue.decode(type: 3, length: 2, value: .integer(-32768)) == .integer(-32768, width: 2))
        #expect(throws: ValueMismatch.integerDoesNotFit(32768, width: 2)) { try ATTypedValue.decode(type: 3, length: 2, value: .integer(32768)) }
        #expect(try ATTypedValue.decode(type: 3, length: 8, value: .integer(Int64.max)) == .integer(Int64.max, width: 8))
        #expect(try ATTypedValue.decode(type: 4, length: 4, value: .token("23.5")) == .float(23.5, width: 4))
        #expect(try ATTypedValue.decode(type: 4, length: 8, value: .integer(3)) == .float(3, width: 8))
        #expect(try ATTypedValue.decode(type: 5, length: 1, value: .integer(1)) == .boolean(true))
        #expect(ATTypedValue.opaque([0xAB, 0x01]).fields == [.integer(2), .integer(2), .string("AB01")])
        #expect(ATTypedValue.float(23.5, width: 4).atValue == .token("23.5"))
        #expect(ATTypedValue.float(2, width: 4).atValue == .token("2.0"))
    }
}

@Suite struct URCTests {
    @Test func everyExampleURCReadsAndPrintsBackTheSame() {
        for text in NoteExamples.urcs {
            let line = ATResponseLine.parse(text)
            guard let urc = URC(line) else {
                Issue.record("not read as a URC: \(text)")
                continue
            }
            #expect(urc.line.text == text)
        }
    }

    @Test func typedFields() {
        #expect(URC(.parse("+QLAURC: \"observe\",23618,0,19,0,0"))
            == .observe(messageID: 23618, flag: 0, objectID: 19, instanceID: 0, resourceID: 0))
        #expect(URC(.parse("+QLAURC: \"binding_changed\",U")) == .bindingChanged("U"))
        #expect(URC(.parse("+QLAURC: \"read\",1,3,0,0,\"q=1\"")) == .read(messageID: 1, objectID: 3, instanceID: 0, resourceID: 0, uriQuery: "q=1"))
        #expect(URC(.parse("+QLAURC: \"lw_event\",0,5,4711")) == .lwEvent(eventType: 0, eventCode: 5, messageID: 4711))
        #expect(URC(.parse("+QLAURC: \"lw_event\",0,5,4711")).map(\.line.text) == "+QLAURC: \"lw_event\",0,5,4711")
        let write = URC.write(messageID: 36560, objectID: 19, instanceID: 0, resourceID: 0, value: .opaque(Array("QUECTEL".utf8)))
        #expect(write.line.text == "+QLAURC: \"write\",36560,19,0,0,2,7,\"5155454354454C\",0")
        #expect(URC.deepSleep(entered: true).line.framed == "\r\n+QNBIOEVENT: \"ENTER DEEPSLEEP\"\r\n")
        #expect(URC.lifetimeChanged(lifetime: 300).line.text == "+QLAURC: \"lifetime_changed\",300")
        #expect(URC.ping(resultCode: 1).line.text == "+QLAURC: \"ping\",1")
        #expect(URC.sendAck(resultCode: 0, messageID: 5005).line.text == "+QLAURC: \"send_ack\",0,5005")
    }

    @Test func malformedURCsAreNotGuessed() {
        for text in ["+QLAURC: \"observe\",1,0,19,0", "+QLAURC: \"report\",x", "+QLAURC: \"nope\",1", "+QLAREG: 0",
                     "+QLAURC: \"read\",1,3,0,0,7", "+QNBIOEVENT: \"SNOOZE\"", "OK"] {
            #expect(URC(.parse(text)) == nil, "\(text)")
        }
    }

    @Test func catalogueDescribesEveryURC() {
        let keywords = ["ping", "observe", "write", "read", "execute", "bs_finished", "report", "report_ack", "send_ack",
                        "lifetime_changed", "binding_changed", "recovered", "lw_event"]
        let catalogue = CommandCatalogue.bc260y
        for (number, keyword) in keywords.enumerated() {
            let spec = catalogue.urc(named: keyword)
            #expect(spec?.section == "3.\(number + 1)", "\(keyword)")
            #expect(spec?.chineseTitle?.isEmpty == false, "\(keyword)")
        }
        #expect(catalogue.urc(named: "observe")?.fields.map(\.name) == ["messageID", "flag", "objectID", "instantID", "resourceID"])
        #expect(catalogue.urc(named: "observe")?.answeredBy == "AT+QLAOBSRSP")
        #expect(catalogue.urc(named: "QNBIOEVENT") != nil)
    }
}

/// The command and URC lines printed in the application note, copied from
/// `bc260y-cn-lwm2m-application-note.zh.txt` (comments after `//` removed). Corrections, as
/// NOTES.md reads them: `AT+QLAADD OBJ` → `AT+QLAADDOBJ` (2.6), `AT+QSCCLK` → `AT+QSCLK`
/// (4.4.2), and the hex strings wrapped across lines in 4.4.2 joined.
enum NoteExamples {
    /// Chapter 2's examples, in order.
    static let chapter2Commands: [String] = [
        "AT+QLACFG=\"retransmit\",2,4",
        "AT+QLACFG=\"platform\",1",
        "AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"",
        "AT+QLACFG=\"auto_ack\",1",
        "AT+QLACFG=\"lifetime_enable\",1",
        "AT+QLACFG=\"dtls_mode\",0",
        "AT+QLACFG=\"dtls_version\",1",
        "AT+QLAREG",
        "AT+QLAUPDATE=0,1000",
        "AT+QLADEREG",
        "AT+QLAADDOBJ=19,1,1,0",
        "AT+QLAADDOBJ=19,0,4,0,1,2,3",
        "AT+QLAADDOBJ?",
        "AT+QLADELOBJ=17",
        "AT+QLARDRSP=62953,1,19,0,0,1,5,\"abcde\",0",
        "AT+QLAWRRSP=36560,2",
        "AT+QLAEXERSP=39040,2",
        "AT+QLAOBSRSP=624,1,9,0,0,1,5,\"abcde\",0",
    ]

    static let andlinkReadHex = "7b226f75746c6574537461747573223a2231222c2273657454696d65223a2231222c226669726d77617265223a22312e30222c22736f667456657273696f6e223a22312e30227d"
    static let andlinkSendHex = "5b7b226e223a222f31392f312f30222c227673223a227b5c226f75746c65745374617475735c223a5c22305c222c5c2273657454696d655c223a5c22315c222c5c226669726d776172655c223a5c22312e305c222c5c22736f667456657273696f6e5c223a5c22312e305c227d227d5d"

    /// Chapter 4's command lines (4.1, 4.2.2, 4.3.2, 4.4.2), in order.
    static let chapter4Commands: [String] = [
        "AT+QSCLK=0", "AT+CEREG?", "AT+CGPADDR?",
        // 4.2.2 CT IoT
        "AT+QSCLK=0", "AT+CEREG?", "AT+CGPADDR?",
        "AT+QLACFG=\"platform\",0",
        "AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",300,3",
        "AT+QLAADDOBJ=19,0,1,0", "AT+QLAADDOBJ=19,1,1,0", "AT+QLAREG",
        "AT+QLAOBSRSP=23618,1,19,0,0,2,9,\"020001000400023238\",0",
        "AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0",
        "AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,1",
        "AT+QLAUPDATE=0,100", "AT+QLADEREG", "AT+QSCLK=1",
        "AT+QSCLK=0", "AT+CEREG?", "AT+CGPADDR?",
        "AT+QLANOTIFY=19,0,0,2,9,\"020001000400023238\",0,1,2",
        "AT+QLADEREG", "AT+QSCLK=1",
        // 4.3.2 CT AEP
        "AT+QSCLK=0", "AT+CEREG?", "AT+CGPADDR?",
        "AT+QLACFG=\"platform\",1",
        "AT+QLACONFIG=0,\"221.229.214.202\",5683,\"urn:imei-imsi:866971030603068-460111174747875\",30,3",
        "AT+QLAADDOBJ=19,0,1,0", "AT+QLAADDOBJ=19,1,1,0", "AT+QLAREG",
        "AT+QLAOBSRSP=45419,1,19,0,0,2,9,\"020001000400023238\",0",
        "AT+QLANOTIFY=19,0,0,2,9,\"020001000400023238\",0,0",
        "AT+QLANOTIFY=19,0,0,2,9,\"020001000400023238\",0,1",
        "AT+QLAUPDATE=0,100", "AT+QLADEREG", "AT+QSCLK=1",
        // 4.4.2 CM Andlink
        "AT+QSCLK=0", "AT+CEREG?", "AT+CGPADDR?",
        "AT+QLACFG=\"platform\",2",
        "AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"",
        "AT+QLAADDOBJ=19,1,1,0",
        "AT+QLACONFIG=1,\"lwm.home.komect.com\",5683,\"866971031275899\",30,3",
        "AT+QLAREG",
        "AT+QLARDRSP=8095,1,19,1,0,2,71,\"\(andlinkReadHex)\",0",
        "AT+QLAWRRSP=8096,2",
        "AT+QLASENDATA=2,112,\"\(andlinkSendHex)\",0",
        "AT+QLASENDATA=2,112,\"\(andlinkSendHex)\",1",
        "AT+QLAUPDATE=0,100", "AT+QLADEREG", "AT+QSCLK=1",
    ]

    /// Every URC printed in the examples of chapters 2 and 4.
    static let urcs: [String] = [
        "+QLAURC: \"read\",62953,19,0,0",
        "+QLAURC: \"write\",36560,19,0,0,2,7,\"5155454354454C\",0",
        "+QLAURC: \"execute\",39040,15,0,5",
        "+QLAURC: \"observe\",624,0,9,0,0",
        "+QLAURC: \"observe\",23618,0,19,0,0",
        "+QLAURC: \"report\",8563",
        "+QLAURC: \"report_ack\",0,8563",
        "+QNBIOEVENT: \"ENTER DEEPSLEEP\"",
        "+QNBIOEVENT: \"EXIT DEEPSLEEP\"",
        "+QLAURC: \"recovered\",0",
        "+QLAURC: \"report\",52157",
        "+QLAURC: \"report_ack\",0,52157",
        "+QLAURC: \"observe\",45419,0,19,0,0",
        "+QLAURC: \"report\",34218",
        "+QLAURC: \"report_ack\",0,34218",
        "+QLAURC: \"binding_changed\",U",
        "+QLAURC: \"bs_finished\"",
        "+QLAURC: \"read\",8095,19,1,0",
        "+QLAURC: \"write\",8096,19,1,0,1,20,\"{\"outletStatus\":\"1\"}\",0",
        "+QLAURC: \"send_ack\",0,5005",
    ]
}

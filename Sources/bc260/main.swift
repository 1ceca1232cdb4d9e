print("bc260")

print("codec bench: not yet written")

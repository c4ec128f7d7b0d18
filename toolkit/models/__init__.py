"""Local models: serve a GGUF file with llama.cpp's own server, list and add model files,
and connection profiles for the servers trainers use."""

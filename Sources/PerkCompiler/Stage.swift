// Placeholder until this stage lands; replaced by the stage's real files.

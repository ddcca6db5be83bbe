module github.com/httpserve/httpserve

go 1.26.8

require (
	github.com/alecthomas/kong v1.17.0
	github.com/alecthomas/mango-kong v0.1.0
	github.com/gabriel-vasile/mimetype v1.4.16
	github.com/klauspost/compress v1.20.3
	github.com/muesli/roff v0.1.0
)

require github.com/muesli/mango v0.1.1-0.20220205060214-77e2058169ab // indirect

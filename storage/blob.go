package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/encrypt"
)

// BlobConfig says where the bucket is.
type BlobConfig struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	Bucket    string
	UseTLS    bool
	// SSE asks the server to encrypt every object put at rest (SSE-S3 with
	// MinIO's KMS: the server needs MINIO_KMS_SECRET_KEY or a KMS). Off
	// for a server without a KMS, which refuses such puts.
	SSE bool
}

// Blob is an S3 bucket (MinIO) holding originals, page images and letters.
type Blob struct {
	client *minio.Client
	bucket string
	sse    encrypt.ServerSide // nil: objects are stored as sent
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key         string
	Size        int64
	ContentType string
	SHA256      string
	// Encryption is the server-side encryption the server reports for
	// the object ("AES256" for SSE-S3, "aws:kms" for SSE-KMS), or "".
	Encryption string
}

// OpenBlob connects to the object store and creates the bucket if missing.
func OpenBlob(ctx context.Context, cfg BlobConfig) (*Blob, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("open blob store: endpoint and bucket are required (BLANKETT_S3_ENDPOINT, BLANKETT_S3_BUCKET)")
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseTLS,
	})
	if err != nil {
		return nil, fmt.Errorf("open blob store %s: %w", cfg.Endpoint, err)
	}
	b := &Blob{client: client, bucket: cfg.Bucket}
	if cfg.SSE {
		b.sse = encrypt.NewSSE()
	}
	exists, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("open blob store: bucket %s: %w", cfg.Bucket, err)
	}
	if !exists {
		err := client.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{})
		if err != nil && minio.ToErrorResponse(err).Code != "BucketAlreadyOwnedByYou" {
			return nil, fmt.Errorf("open blob store: create bucket %s: %w", cfg.Bucket, err)
		}
	}
	return b, nil
}

// Bucket is the bucket's name.
func (b *Blob) Bucket() string { return b.bucket }

// metaSHA256 is the user metadata key holding an object's SHA-256.
const metaSHA256 = "Sha256"

// Put stores size bytes from r under key with their SHA-256 (hex) and
// content type.
func (b *Blob) Put(ctx context.Context, key string, r io.Reader, size int64, sha256hex, contentType string) error {
	_, err := b.client.PutObject(ctx, b.bucket, key, r, size, minio.PutObjectOptions{
		ContentType:          contentType,
		UserMetadata:         map[string]string{metaSHA256: sha256hex},
		ServerSideEncryption: b.sse,
		// Without TLS the client would sign every chunk's SHA-256 and the
		// server check it, a third and fourth hashing of every upload:
		// the object's own SHA-256 is in its metadata (fsck checks the
		// bytes against it), and minio-go's CRC32C checksum, sent where
		// the server takes one (MinIO does), still guards the transfer.
		DisableContentSha256: true,
	})
	if err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	return nil
}

// Get opens an object for reading. The caller closes it.
func (b *Blob) Get(ctx context.Context, key string) (io.ReadCloser, ObjectInfo, error) {
	obj, err := b.client.GetObject(ctx, b.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, ObjectInfo{}, fmt.Errorf("get object %s: %w", key, err)
	}
	st, err := obj.Stat()
	if err != nil {
		_ = obj.Close() // the Stat error is the one to report
		return nil, ObjectInfo{}, fmt.Errorf("get object %s: %w", key, notFound(err))
	}
	return obj, info(st), nil
}

// Stat describes an object; ErrNotFound when it does not exist.
func (b *Blob) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	st, err := b.client.StatObject(ctx, b.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("stat object %s: %w", key, notFound(err))
	}
	return info(st), nil
}

// PresignedGet returns a URL that lets its holder read the object until it
// expires. The review UI proxies downloads instead (audited); this is for
// operators and tools.
func (b *Blob) PresignedGet(ctx context.Context, key string, expiry time.Duration) (*url.URL, error) {
	u, err := b.client.PresignedGetObject(ctx, b.bucket, key, expiry, nil)
	if err != nil {
		return nil, fmt.Errorf("presign object %s: %w", key, err)
	}
	return u, nil
}

// Delete removes an object; deleting a missing object is not an error.
func (b *Blob) Delete(ctx context.Context, key string) error {
	if err := b.client.RemoveObject(ctx, b.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("delete object %s: %w", key, err)
	}
	return nil
}

// List returns the keys of all objects under prefix.
func (b *Blob) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	for obj := range b.client.ListObjects(ctx, b.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			return nil, fmt.Errorf("list objects %s: %w", prefix, obj.Err)
		}
		keys = append(keys, obj.Key)
	}
	return keys, nil
}

// Ready reports whether the bucket can be reached.
func (b *Blob) Ready(ctx context.Context) error {
	ok, err := b.client.BucketExists(ctx, b.bucket)
	if err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	if !ok {
		return fmt.Errorf("blob store: bucket %s: %w", b.bucket, ErrNotFound)
	}
	return nil
}

func info(st minio.ObjectInfo) ObjectInfo {
	return ObjectInfo{Key: st.Key, Size: st.Size, ContentType: st.ContentType, SHA256: st.UserMetadata[metaSHA256],
		Encryption: st.Metadata.Get("X-Amz-Server-Side-Encryption")}
}

func notFound(err error) error {
	if minio.ToErrorResponse(err).Code == "NoSuchKey" {
		return errors.Join(ErrNotFound, err)
	}
	return err
}

// RemoveBucket removes the (empty) bucket. Tests use it to clean up.
func (b *Blob) RemoveBucket(ctx context.Context) error {
	if err := b.client.RemoveBucket(ctx, b.bucket); err != nil {
		return fmt.Errorf("remove bucket %s: %w", b.bucket, err)
	}
	return nil
}
